namespace Plue.Protocol;

/// <summary>
/// <c>engines/test</c> result: what the Docker engine said of itself, or why it could not be reached. A failure is a
/// result with <c>ok: false</c>, an <c>error</c> in the user's words and the <c>fix</c> that mends it.
/// </summary>
public sealed record EngineTestResult
{
    public required bool Ok { get; init; }
    /// <summary>The engine's name (its record's title).</summary>
    public required string Engine { get; init; }
    /// <summary>Where it was reached: its host, or the Docker context named.</summary>
    public required string Address { get; init; }
    /// <summary>The engine's version ("20.10.24+dfsg1").</summary>
    public string? Version { get; init; }
    /// <summary>The Engine API version spoken with it: its own, capped at the newest Plue's requests are written for.</summary>
    public string? ApiVersion { get; init; }
    /// <summary>The OS its containers run ("linux").</summary>
    public string? Os { get; init; }
    /// <summary>Its CPU architecture ("amd64", "arm64").</summary>
    public string? Arch { get; init; }
    /// <summary>
    /// Whether a task's worktree can be bind-mounted into its containers: an engine on this machine that bound the
    /// workspace's folder in a container it made and removed. Null when that could not be tried (no image on it).
    /// </summary>
    public bool? CanMountWorkspace { get; init; }
    /// <summary>A swarm engine's manager: its nodes and their architectures. Null for an engine that is no swarm.</summary>
    public EngineSwarm? Swarm { get; init; }
    public string? Error { get; init; }
    /// <summary>What mends a failure: startEngine, address, permission, certificates, image, update, ssh or swarm (the engine is no swarm's manager).</summary>
    public string? Fix { get; init; }
    public required long LatencyMs { get; init; }
    public required DateTimeOffset TestedAt { get; init; }
}
