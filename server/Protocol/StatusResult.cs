namespace Plue.Protocol;

/// <summary><c>plue/status</c> result.</summary>
public sealed record StatusResult
{
    public required string Version { get; init; }
    public required int Pid { get; init; }
    public required string PlueHome { get; init; }
    public required long UptimeMs { get; init; }
    /// <summary>Where the vault's master key is; absent while the sidecar is still starting.</summary>
    public VaultKeyLocation? VaultKey { get; init; }
    /// <summary>Whether what the agent runs is sandboxed, and why not.</summary>
    public SandboxStatus? Sandbox { get; init; }
}
