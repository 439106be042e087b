namespace Plue.Protocol;

/// <summary>The container a task runs in, on a Docker engine: what the task tree shows beside it.</summary>
public sealed record TaskContainerInfo
{
    /// <summary>The engine record's name (its title), as the user named it.</summary>
    public required string Engine { get; init; }
    /// <summary>The engine record's id (<c>codex://engines/…</c>), for calls that reach the container.</summary>
    public required string EngineId { get; init; }
    /// <summary>The image it was made from.</summary>
    public required string Image { get; init; }
    /// <summary>The container's short id (12 characters); null until it is made.</summary>
    public string? ShortId { get; init; }
    /// <summary>CPUs it may use; null: no limit.</summary>
    public double? Cpus { get; init; }
    /// <summary>Memory it may use, in MiB; null: no limit.</summary>
    public long? MemoryMb { get; init; }
    /// <summary>Processes it may run at once; null: no limit.</summary>
    public long? Pids { get; init; }
    /// <summary>none | allow-list (through the sidecar's proxy) | engine (the engine's own network, remote engines only).</summary>
    public required string Network { get; init; }
    /// <summary>starting | running | stopped | removed | failed; a swarm job's also waiting (no job runs while the user is asked).</summary>
    public required string State { get; init; }
    /// <summary>Runs as a job on a swarm (the engine is a swarm's manager): the job runs its own turns on a node, with the provider key the swarm holds while it runs.</summary>
    public bool Swarm { get; init; }
    /// <summary>On a swarm: the node that runs its job (the node's host name); null elsewhere, and until the swarm places it.</summary>
    public string? Node { get; init; }
    /// <summary>On a swarm, when its job ran again because its node was lost: what happened, in the user's words.</summary>
    public string? Retried { get; init; }
    /// <summary>What its lost attempts cost (on a swarm), kept in its cost and shown apart; null when none was lost.</summary>
    public decimal? LostCostUsd { get; init; }
    /// <summary>Set when <see cref="State"/> is failed or stopped: why, in the user's words.</summary>
    public string? Reason { get; init; }
}
