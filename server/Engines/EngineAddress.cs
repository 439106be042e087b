namespace Plue.Engines;

/// <summary>How a Docker engine is reached, as Docker names it.</summary>
public enum EngineReach
{
    /// <summary>A Unix socket on this machine (<c>unix://</c>).</summary>
    Unix,
    /// <summary>A Windows named pipe on this machine (<c>npipe://</c>).</summary>
    Pipe,
    /// <summary>TCP, with TLS when certificates are given (<c>tcp://</c>).</summary>
    Tcp,
    /// <summary>Through SSH (<c>ssh://</c>): the machine's ssh client forwards the engine's socket (<see cref="EngineSshTunnel"/>).</summary>
    Ssh,
    /// <summary>A Docker context by name (<c>docker context ls</c>): the address it holds.</summary>
    Context,
}

/// <summary>
/// Where a Docker engine listens: a host in <c>DOCKER_HOST</c>'s form or a Docker context's name. The local engine is
/// <c>DOCKER_HOST</c>'s when set, else the system socket.
/// </summary>
public sealed record EngineAddress(EngineReach Reach, string Value)
{
    public const string SystemSocket = "unix:///var/run/docker.sock";
    public const string WindowsPipe = "npipe:////./pipe/docker_engine";

    /// <summary>The local engine: <c>DOCKER_HOST</c> when set, else the system's socket (Windows' pipe there).</summary>
    public static EngineAddress Local(Func<string, string?> environment) =>
        environment("DOCKER_HOST") is { Length: > 0 } host ? Host(host)
            : Host(OperatingSystem.IsWindows() ? WindowsPipe : SystemSocket);

    /// <summary>A host as <c>DOCKER_HOST</c> writes it; an unknown scheme is an <see cref="EngineException"/> saying which are known.</summary>
    public static EngineAddress Host(string host)
    {
        var text = host.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal) is var at and > 0 ? text[..at].ToLowerInvariant() : "";
        var reach = scheme switch
        {
            "unix" => EngineReach.Unix,
            "npipe" => EngineReach.Pipe,
            "tcp" => EngineReach.Tcp,
            "ssh" => EngineReach.Ssh,
            _ => throw new EngineException(
                $"'{text}' is not a Docker engine's address: write it as Docker does, unix:///path/to/docker.sock, tcp://host:2376 or ssh://user@host.",
                EngineFix.Address),
        };
        if (text.Length <= scheme.Length + 3)
            throw new EngineException($"'{text}' names no socket or host after {scheme}://.", EngineFix.Address);
        if (reach == EngineReach.Ssh) EngineSshTarget.Parse(text);
        return new EngineAddress(reach, text);
    }

    public static EngineAddress Context(string name) => new(EngineReach.Context, name.Trim());

    /// <summary>Whether the engine runs on this machine, so a bind mount of a local folder reaches it.</summary>
    public bool OnThisMachine => Reach is EngineReach.Unix or EngineReach.Pipe;

    public override string ToString() => Reach == EngineReach.Context ? $"the Docker context '{Value}'" : Value;
}
