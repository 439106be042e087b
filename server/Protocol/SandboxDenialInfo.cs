namespace Plue.Protocol;

/// <summary>One thing the sandbox stopped a tool call from doing: <c>kind</c> path (written outside what the policy opens) or host (reached).</summary>
public sealed record SandboxDenialInfo
{
    /// <summary>path | host.</summary>
    public required string Kind { get; init; }
    /// <summary>The full path, or <c>host:port</c>.</summary>
    public required string What { get; init; }
}
