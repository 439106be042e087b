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
    /// <summary>Docker's network mode: none (the default) or host.</summary>
    public string Network { get; init; } = "none";
}

/// <summary>A command run in a running container (<c>exec</c>).</summary>
public sealed record ExecSpec
{
    public required IReadOnlyList<string> Command { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
}

/// <summary>Which of a command's outputs a piece of text came from.</summary>
public enum ExecStream
{
    Stdout,
    Stderr,
}

/// <summary>What <c>GET /version</c> said, and the API version the client speaks with the engine.</summary>
public sealed record EngineVersion(string Version, string ApiVersion, string EngineApiVersion, string Os, string Arch);
