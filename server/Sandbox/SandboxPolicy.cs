namespace Plue.Sandbox;

/// <summary>What a sandboxed child may touch on disk: nothing confined, the workspace writable, or nothing writable.</summary>
public enum SandboxFiles
{
    ReadOnly = 0,
    WorkspaceWrite = 1,
    Off = 2,
}

/// <summary>Where a sandboxed child may connect: nowhere, the allowed hosts through the sidecar's proxy, or anywhere.</summary>
public enum SandboxNetwork
{
    None = 0,
    AllowList = 1,
    Open = 2,
}

/// <summary>
/// One sandbox policy (templates/sandbox-policy.json5): what the children of a chat or task may write, whether the rest
/// of the home is hidden or read-only, and where they may connect. The axes are ordered from tight to wide, so a child
/// of a task tree is given <see cref="Narrow"/> of its parent's and its own: it can tighten, never widen.
/// </summary>
public sealed record SandboxPolicy
{
    public const string ContainerId = "sandbox-container";

    public const string OffId = "sandbox-off";
    public const string WorkspaceWriteId = "sandbox-workspace-write";
    public const string ReadOnlyId = "sandbox-read-only";

    /// <summary>The template id or <c>codex://sandbox-policies/&lt;slug&gt;</c> it was read from.</summary>
    public required string Id { get; init; }
    /// <summary>What the user sees: Workspace write, Read-only, Off, or the record's title.</summary>
    public required string Name { get; init; }
    public SandboxFiles Files { get; init; } = SandboxFiles.WorkspaceWrite;
    /// <summary>The home (other than the workspace) is an empty folder; false: readable, never writable.</summary>
    public bool HideHome { get; init; } = true;
    public SandboxNetwork Network { get; init; } = SandboxNetwork.None;
    /// <summary>The hosts reached through the proxy under <see cref="SandboxNetwork.AllowList"/>: <c>host</c>, <c>host:port</c> or <c>*.domain</c>.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
    /// <summary>Full paths writable besides the workspace (grants made from a denial: "Always for this workspace").</summary>
    public IReadOnlyList<string> WritablePaths { get; init; } = [];
    /// <summary>Unix sockets outside the workspace a child may connect to (full paths); every other is hidden (off by default).</summary>
    public IReadOnlyList<string> Sockets { get; init; } = [];
    /// <summary>The home's credential stores a child may read (<c>~/.aws</c>, as <see cref="SandboxPlaces.CredentialStores"/> names them); every other is hidden.</summary>
    public IReadOnlyList<string> Credentials { get; init; } = [];

    /// <summary>
    /// Where the commands run instead of under this machine's sandbox: a container on a Docker engine (docs/SANDBOX.md);
    /// null: on this machine. A chat's <c>bash</c> then runs in a container of the chat's, a task's as <c>runs: container</c>.
    /// </summary>
    public SandboxContainer? Container { get; init; }

    public bool IsOff => Files == SandboxFiles.Off;

    public static SandboxPolicy Off { get; } = new() { Id = OffId, Name = "Off", Files = SandboxFiles.Off, HideHome = false, Network = SandboxNetwork.Open };

    public static SandboxPolicy WorkspaceWrite { get; } = new() { Id = WorkspaceWriteId, Name = "Workspace write" };

    public static SandboxPolicy ReadOnly { get; } = new() { Id = ReadOnlyId, Name = "Read-only", Files = SandboxFiles.ReadOnly };

    /// <summary>
    /// What the sidecar's own search (ripgrep) runs under for a chat or task under this policy: its roots read-only,
    /// no network, none of the policy's writable paths; the home as the policy says. Off stays off.
    /// </summary>
    public SandboxPolicy Reading => IsOff ? this : this with { Files = SandboxFiles.ReadOnly, Network = SandboxNetwork.None, AllowedHosts = [], WritablePaths = [], Sockets = [], Credentials = [] };

    /// <summary>
    /// What the sidecar's own git runs under for a chat or task under this policy: only the places it is given
    /// writable (a task's worktree, its repository's git folder), whatever the policy lets the agent write, no
    /// network, the home as the policy says. Off stays off.
    /// </summary>
    public SandboxPolicy Writing => IsOff ? this : this with { Files = SandboxFiles.WorkspaceWrite, Network = SandboxNetwork.None, AllowedHosts = [], WritablePaths = [], Sockets = [], Credentials = [] };

    /// <summary>
    /// The tighter of <paramref name="parent"/> and <paramref name="child"/> on every axis: a sub-task's policy, which
    /// may narrow its parent's and never widen it (its hosts and writable paths are those both allow).
    /// </summary>
    public static SandboxPolicy Narrow(SandboxPolicy parent, SandboxPolicy? child)
    {
        if (child is null || child == parent) return parent;
        var network = (SandboxNetwork)Math.Min((int)parent.Network, (int)child.Network);
        return new SandboxPolicy
        {
            Id = child.Id,
            Name = child.Name,
            Files = (SandboxFiles)Math.Min((int)parent.Files, (int)child.Files),
            HideHome = parent.HideHome || child.HideHome,
            Network = network,
            AllowedHosts = network != SandboxNetwork.AllowList ? []
                : parent.Network == SandboxNetwork.Open ? child.AllowedHosts
                : child.Network == SandboxNetwork.Open ? parent.AllowedHosts
                : [.. child.AllowedHosts.Where(h => parent.AllowedHosts.Contains(h, StringComparer.OrdinalIgnoreCase))],
            WritablePaths = parent.IsOff ? child.WritablePaths : [.. child.WritablePaths.Where(p => parent.WritablePaths.Contains(p, StringComparer.Ordinal))],
            Sockets = parent.IsOff ? child.Sockets : [.. child.Sockets.Where(p => parent.Sockets.Contains(p, StringComparer.Ordinal))],
            Credentials = parent.IsOff ? child.Credentials : [.. child.Credentials.Where(p => parent.Credentials.Contains(p, StringComparer.Ordinal))],
            // A container is narrower than this machine: a sub-task of a container's stays in one, on its parent's engine.
            Container = parent.Container is { } theirs ? theirs with { Image = child.Container?.Image ?? theirs.Image } : child.Container,
        };
    }

    /// <summary>
    /// This policy with <paramref name="hosts"/> reachable too (an agent's provider), when it limits the network. No host
    /// to add leaves it as it is: no network stays none, never an allow-list of nothing (which keeps the host's network).
    /// </summary>
    public SandboxPolicy Reaching(IEnumerable<string> hosts)
    {
        var more = hosts.Where(h => h.Length > 0 && !AllowedHosts.Contains(h, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (Network == SandboxNetwork.Open || more.Count == 0) return this;
        return this with { Network = SandboxNetwork.AllowList, AllowedHosts = [.. AllowedHosts, .. more] };
    }

    /// <summary>
    /// This policy with what <paramref name="denials"/> name let through: each path writable (its folder when it does
    /// not exist yet, since a new file needs one to be made in), each host reachable. Off stays off.
    /// </summary>
    public SandboxPolicy Allowing(IEnumerable<SandboxDenial> denials)
    {
        if (IsOff) return this;
        var list = denials.ToList();
        var paths = list.Where(d => d.Kind == SandboxDenial.Path).Select(d => WritableFor(d.What)).OfType<string>()
            .Where(p => !WritablePaths.Contains(p, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        var widened = paths.Count == 0 ? this : this with { WritablePaths = [.. WritablePaths, .. paths] };
        var hosts = list.Where(d => d.Kind == SandboxDenial.Host).Select(d => d.What).ToList();
        return hosts.Count == 0 ? widened : widened.Reaching(hosts);
    }

    /// <summary>The path a denied write needs writable: itself when it exists, else its nearest folder that does (never <c>/</c>).</summary>
    public static string? WritableFor(string path)
    {
        if (!System.IO.Path.IsPathRooted(path)) return null;
        // A planted place (.vscode, .envrc) opens by its own name, whether it exists yet or not.
        if (SandboxPlaces.PlantedPlace(System.IO.Path.GetFullPath(path)) is { } planted) return planted;
        var current = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        while (current is { Length: > 1 } && !File.Exists(current) && !Directory.Exists(current)) current = System.IO.Path.GetDirectoryName(current);
        return current is { Length: > 1 } ? current : null;
    }

    // Value equality over the lists too: a policy read again from the same fields is the same policy (a live agent
    // started under it is kept, not restarted).
    public bool Equals(SandboxPolicy? other) =>
        other is not null && Id == other.Id && Name == other.Name && Files == other.Files && HideHome == other.HideHome && Network == other.Network
        && AllowedHosts.SequenceEqual(other.AllowedHosts, StringComparer.OrdinalIgnoreCase) && WritablePaths.SequenceEqual(other.WritablePaths, StringComparer.Ordinal)
        && Sockets.SequenceEqual(other.Sockets, StringComparer.Ordinal) && Credentials.SequenceEqual(other.Credentials, StringComparer.Ordinal)
        && Container == other.Container;

    /// <summary>What makes two policies confine alike, as text: a process shared by callers under the same one is keyed by it.</summary>
    public string Key => $"{Files}|{HideHome}|{Network}|{string.Join(',', AllowedHosts)}|{string.Join(',', WritablePaths)}|{string.Join(',', Sockets)}|{string.Join(',', Credentials)}|{Container}";

    public override int GetHashCode() => HashCode.Combine(Id, Files, HideHome, Network, AllowedHosts.Count, WritablePaths.Count);

    /// <summary>
    /// <see cref="Describe"/> as a command will run here: where this machine cannot make a sandbox, a policy that would
    /// confine says it cannot apply, so an approval card or a chat's header never shows a lock that is not there.
    /// </summary>
    public string DescribeHere() => !IsOff && Container is null && Bubblewrap.Executable is null && Seatbelt.Executable is null ? $"{Name}, which this machine cannot apply (not sandboxed)" : Describe();

    /// <summary>One line for a status or a tool result: "Workspace write (home hidden, no network)".</summary>
    public string Describe()
    {
        if (Container is { } container) return $"{Name} (in a container on {container.EngineName}, {(Files == SandboxFiles.ReadOnly ? "workspace read-only" : "workspace writable")}, no network)";
        if (IsOff) return $"{Name} (not sandboxed)";
        var home = HideHome ? "home hidden" : "home read-only";
        var network = Network switch
        {
            SandboxNetwork.None => "no network",
            SandboxNetwork.Open => "any host",
            _ => AllowedHosts.Count == 0 ? "no host allowed" : $"hosts {string.Join(", ", AllowedHosts)}",
        };
        return $"{Name} ({home}, {network})";
    }
}

/// <summary>
/// A policy's container (<c>runs: container</c>): the engine record's name (empty: the first engine on this machine,
/// else this machine's own) and the image (empty: the workspace's devcontainer image, else the default).
/// </summary>
public sealed record SandboxContainer(string? Engine, string? Image)
{
    public string EngineName => string.IsNullOrWhiteSpace(Engine) ? "this machine's engine" : Engine;
}
