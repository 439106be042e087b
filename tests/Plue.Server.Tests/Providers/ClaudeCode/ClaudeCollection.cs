namespace Plue.Tests.Providers.ClaudeCode;

/// <summary>The real-CLI tests run one at a time: each spawns a CLI, and the machine is shared.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClaudeCollection
{
    public const string Name = "claude-cli";
}
