namespace Plue.Protocol;

/// <summary>Whether the commands the agent runs are sandboxed here (docs/SANDBOX.md), under which policy, and why not.</summary>
public sealed record SandboxStatus
{
    public required bool Active { get; init; }
    /// <summary>The workspace's policy as the user reads it: "Workspace write (home hidden, no network)".</summary>
    public required string Policy { get; init; }
    /// <summary>Why it is not active, with what to do (install bubblewrap); absent when it is.</summary>
    public string? Reason { get; init; }
    /// <summary>The exact commands that make it work here, when the system has a known narrow fix (Ubuntu's AppArmor profile for bwrap).</summary>
    public string? Fix { get; init; }
    /// <summary>Active, but the sandbox cannot report its own denials here, and why (they are read from the commands' output); absent when it can.</summary>
    public string? Denials { get; init; }
}
