namespace Plue.Engines;

/// <summary>
/// One sub-task as a Swarm job: a service of one replica that runs its container once (Swarm's
/// own restart off: a retry is Plue's, from saved state, so the work is not redone from the start).
/// </summary>
/// <remarks>
/// There is no environment on purpose: what a job needs comes in as files (its configs and, for the key, its secret),
/// so nothing secret can land in the service's spec, which any manager's inspect shows.
/// </remarks>
public sealed record SwarmJobSpec
{
    /// <summary>The service's name: unique in the swarm.</summary>
    public required string Name { get; init; }
    /// <summary>The image with its registry (<c>host:port/name:tag</c>): each node pulls it from there.</summary>
    public required string Image { get; init; }
    public IReadOnlyList<string> Command { get; init; } = [];
    /// <summary>A user name or uid[:gid]; null: the image's.</summary>
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    /// <summary>On the service and on its containers, so either can be found by label.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Secrets mounted as files under <c>/run/secrets</c> (the target is the file's name there).</summary>
    public IReadOnlyList<SwarmFile> Secrets { get; init; } = [];
    /// <summary>Configs mounted as files (the target is the file's absolute path).</summary>
    public IReadOnlyList<SwarmFile> Configs { get; init; } = [];
    /// <summary>
    /// On its node's own network (Swarm's <c>host</c> network), to reach the model's endpoint from there; false: the
    /// engine's default for a service with no network.
    /// </summary>
    public bool HostNetwork { get; init; }
    /// <summary>Placement constraints as Swarm writes them: <c>node.platform.arch==x86_64</c>, <c>node.labels.gpu==true</c>.</summary>
    public IReadOnlyList<string> Constraints { get; init; } = [];
    /// <summary>CPUs a node must have free to take the job; null: none reserved.</summary>
    public double? CpuReservation { get; init; }
    /// <summary>Memory a node must have free to take the job, in bytes; null: none reserved.</summary>
    public long? MemoryReservation { get; init; }
    /// <summary>CPUs the job may use; null: no limit.</summary>
    public double? CpuLimit { get; init; }
    /// <summary>Memory the job may use, in bytes; null: no limit.</summary>
    public long? MemoryLimit { get; init; }
}

/// <summary>A secret or config as the swarm knows it: its id and its (unique) name.</summary>
public sealed record SwarmObject(string Id, string Name, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// A secret or config mounted into a job as a file: owned by <paramref name="Uid"/>:<paramref name="Gid"/> with
/// <paramref name="Mode"/> (0400 by default: the job's user reads it, no one else).
/// </summary>
public sealed record SwarmFile(SwarmObject Object, string Target, string Uid = "0", string Gid = "0", uint Mode = 0x100);

/// <summary>What <c>GET /info</c> says of the engine's swarm: whether it is in one, whether it manages it, how many nodes.</summary>
public sealed record SwarmState(bool Active, bool Manager, int Nodes, int Managers, string? Error);

/// <summary>A node of the swarm: its name, whether it is up and takes work, its architecture and labels.</summary>
public sealed record SwarmNode(
    string Id, string Hostname, bool Manager, string State, string Availability, string Os, string Architecture,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Up and taking work: what a job can be placed on.</summary>
    public bool Ready => State == "ready" && Availability == "active";
}

/// <summary>A service the swarm runs: its id, name and labels.</summary>
public sealed record SwarmServiceEntry(string Id, string Name, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// One attempt of a job (a Swarm task): the node it was placed on (its id, and its host name when the node is still
/// known), its state (<c>pending</c>, <c>running</c>, <c>complete</c>, <c>failed</c>, <c>rejected</c>, …), what Swarm
/// says went wrong, and its container's exit code once it has one.
/// </summary>
public sealed record SwarmTask(
    string Id, string? NodeId, string? NodeName, string State, string DesiredState, string? Error, string? Message,
    long? ExitCode, string? ContainerId, DateTimeOffset? UpdatedAt)
{
    /// <summary>Over: the task will not run (again).</summary>
    public bool Ended => State is "complete" or "failed" or "rejected" or "shutdown" or "orphaned" or "remove";
}

/// <summary>
/// One whole line a job wrote, with the time the engine stamped on it (to 100 ns) and whether it came on stderr. A
/// line longer than the engine's 16 KB log message is given whole.
/// </summary>
public sealed record ServiceLogLine(DateTimeOffset Time, string Text, bool Stderr);
