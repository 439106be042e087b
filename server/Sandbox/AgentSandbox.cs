namespace Plue.Sandbox;

/// <summary>
/// The sandbox of an agent the sidecar hosts (the claude CLI, an ACP agent): the chat's or task's policy, its
/// provider's hosts reachable, and the home readable, since an agent reads its install and sign-in there; its own
/// config folders stay writable. The Plue home and the vault stay hidden as for every child.
/// </summary>
public static class AgentSandbox
{
    /// <summary><paramref name="policy"/> (the chat's or task's, else the workspace's: <see cref="SandboxContext.Or"/>) for an agent reaching <paramref name="hosts"/>.</summary>
    public static SandboxPolicy For(SandboxPolicy policy, IEnumerable<string> hosts) =>
        policy.IsOff ? policy : policy.Reaching(hosts) with { HideHome = false };

    /// <summary>The host (and port, when not the scheme's) of <paramref name="endpoint"/>, for an allow-list.</summary>
    public static IEnumerable<string> HostsOf(string? endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? [uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}"] : [];

    /// <summary>
    /// The folder it works in writable, <paramref name="writable"/> (its config) too, and what the agent is made of
    /// readable: its program's folder and, through links, the package that holds it (a script's modules beside it),
    /// and the files its <paramref name="arguments"/> name (an agent run as <c>node agent.mjs</c>). A private
    /// <c>/tmp</c> would otherwise hide an agent installed there. <paramref name="plueHome"/> (the host's) hidden.
    /// </summary>
    public static SandboxPlaces Places(string? plueHome, string workingDirectory, string program, IEnumerable<string>? arguments = null, params string[] writable) =>
        SandboxPlaces.For([workingDirectory], plueHome) with
        {
            ReadOnly = [.. new[] { program }.Concat(arguments ?? []).Where(File.Exists).SelectMany(MadeOf).Distinct(StringComparer.Ordinal)],
            Writable = writable,
        };

    private static IEnumerable<string> MadeOf(string file)
    {
        if (!System.IO.Path.IsPathRooted(file)) yield break;
        if (System.IO.Path.GetDirectoryName(file) is { } folder) yield return folder;
        var real = new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file;
        // A node package's program: its node_modules, where the modules it requires are.
        var modules = real.LastIndexOf("/node_modules/", StringComparison.Ordinal);
        if (modules >= 0) yield return real[..(modules + "/node_modules".Length)];
        else if (System.IO.Path.GetDirectoryName(real) is { } realFolder) yield return realFolder;
    }
}
