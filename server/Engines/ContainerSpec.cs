namespace Plue.Engines;

/// <summary>A container to make: its image and command, who runs it and where, and what it is given.</summary>
public sealed record ContainerSpec
{
    public required string Image { get; init; }
    public IReadOnlyList<string> Command { get; init; } = [];
    /// <summary>A user name or uid[:gid]; null: the image's.</summary>
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    /// <summary>NAME=value lines: the container's whole environment besides the image's. Never a secret.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Folders of the engine's machine bound in: source, target, read-only.</summary>
    public IReadOnlyList<(string Source, string Target, bool ReadOnly)> Binds { get; init; } = [];
    /// <summary>Folders given an anonymous volume of the engine's (written to through the archive calls; removed with the container).</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
    /// <summary>Docker's network mode: none (the default), default (the engine's own network) or host.</summary>
    public string Network { get; init; } = "none";
    /// <summary>CPUs it may use; null: no limit.</summary>
    public double? Cpus { get; init; }
    /// <summary>Memory it may use, in MiB (swap included); null: no limit.</summary>
    public long? MemoryMb { get; init; }
    /// <summary>Processes it may run at once; null: no limit.</summary>
    public long? Pids { get; init; }
    /// <summary>Confined: every capability dropped, no new privileges, a read-only root filesystem with a tmpfs /tmp.</summary>
    public bool Confined { get; init; }
}

/// <summary>A container the engine lists: its id and labels.</summary>
public sealed record ContainerEntry(string Id, IReadOnlyDictionary<string, string> Labels, bool Running = false);

/// <summary>How a container stopped: its exit code, and whether the kernel killed it for its memory limit.</summary>
public sealed record ContainerStop(long ExitCode, bool OutOfMemory);

/// <summary>A command run in a running container (<c>exec</c>).</summary>
public sealed record ExecSpec
{
    public required IReadOnlyList<string> Command { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
    /// <summary>Text written to its standard input, which is then closed (a hook's event); null: no input.</summary>
    public string? Stdin { get; init; }
}

/// <summary>Which of a command's outputs a piece of text came from.</summary>
public enum ExecStream
{
    Stdout,
    Stderr,
}

/// <summary>What <c>GET /version</c> said, and the API version the client speaks with the engine.</summary>
public sealed record EngineVersion(string Version, string ApiVersion, string EngineApiVersion, string Os, string Arch);
