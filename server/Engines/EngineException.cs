namespace Plue.Engines;

/// <summary>What the user changes to mend an engine that does not work.</summary>
public enum EngineFix
{
    /// <summary>Nothing the engine's settings hold: start Docker, or wait for it.</summary>
    StartEngine,
    /// <summary>The engine's address (its host or context).</summary>
    Address,
    /// <summary>The permission to use its socket.</summary>
    Permission,
    /// <summary>Its TLS certificates.</summary>
    Certificates,
    /// <summary>The image a container is made from.</summary>
    Image,
    /// <summary>Docker itself, or Plue: the two speak no common API version.</summary>
    Update,
    /// <summary>The user's ssh set-up for an ssh:// engine: its host key known, a key or agent that signs in.</summary>
    Ssh,
    /// <summary>A swarm engine's address: a manager's (`docker swarm init` there), or the registry its nodes pull from.</summary>
    Swarm,
}

/// <summary>
/// A Docker engine's failure in the user's words, on one line, saying what to do next; <see cref="Fix"/> names what
/// the user changes. Never a socket path of the sidecar's own, a request path or an engine's raw JSON.
/// </summary>
public sealed class EngineException(string message, EngineFix fix, Exception? inner = null) : Exception(message, inner)
{
    public EngineFix Fix { get; } = fix;
}
