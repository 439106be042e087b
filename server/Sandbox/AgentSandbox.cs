namespace Plue.Sandbox;

/// <summary>
/// The sandbox of an agent the sidecar hosts (the claude CLI, an ACP agent): the chat's or task's policy, its
/// provider's hosts reachable, and the home readable, since an agent reads its install and sign-in there; its own
/// config folders stay writable. The Plue home and the vault stay hidden as for every child.
/// </summary>
public static class AgentSandbox
{
    /// <summary>The policy children get when their chat or task names none: the workspace's, set by <see cref="SandboxPolicies"/>.</summary>
    public static SandboxPolicy Workspace => WorkspacePolicy();

    /// <summary>
    /// Reads the workspace's policy: off until a sidecar's policies are set up (<see cref="SandboxPolicies"/>, made at
    /// the start of the sidecar's process), so a host inside another program confines none of these.
    /// </summary>
    public static Func<SandboxPolicy> WorkspacePolicy { get; set; } = () => SandboxPolicy.Off;

    public static SandboxPolicy For(SandboxPolicy? policy, IEnumerable<string> hosts)
    {
        var chosen = policy ?? Workspace;
        return chosen.IsOff ? chosen : chosen.Reaching(hosts) with { HideHome = false };
    }

    /// <summary>The host (and port, when not the scheme's) of <paramref name="endpoint"/>, for an allow-list.</summary>
    public static IEnumerable<string> HostsOf(string? endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? [uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}"] : [];

    /// <summary>The folder it works in writable, the program's folder readable, and <paramref name="writable"/> (its config).</summary>
    public static SandboxPlaces Places(string workingDirectory, string program, params string[] writable) =>
        SandboxPlaces.For([workingDirectory]) with
        {
            ReadOnly = System.IO.Path.IsPathRooted(program) && System.IO.Path.GetDirectoryName(program) is { } folder ? [folder] : [],
            Writable = writable,
        };
}
