using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Plue.Sandbox;

namespace Plue.Processes;

/// <summary>One child to start: its program and arguments, folder, environment (built on purpose) and sandbox.</summary>
public sealed record ChildCommand
{
    public required string Program { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public string? WorkingDirectory { get; init; }
    /// <summary>Fills the child's environment, from <see cref="ChildEnvironment"/> (never this process's whole one).</summary>
    public required Action<IDictionary<string, string?>> Environment { get; init; }
    public SandboxPolicy Policy { get; init; } = SandboxPolicy.Off;
    /// <summary>The workspace or worktree it works in, and what else it needs; the Plue home is always hidden.</summary>
    public SandboxPlaces Places { get; init; } = new();
    /// <summary>
    /// Started as the leader of a session and process group of its own (setsid), so everything it starts can be killed
    /// at once, and it can signal neither the sidecar's group nor reach a terminal. Confined, bwrap gives the command
    /// that session itself (<c>--new-session</c>) and its pid namespace holds everything the command starts.
    /// </summary>
    public string? Setsid { get; init; }
    /// <summary>The proxy its allowed hosts go through; null: the one shared by children with the same allow-list.</summary>
    public SandboxProxy? Proxy { get; init; }
    /// <summary>
    /// Where the sandbox reports what it refused (the C bridge's seccomp watch); null: not watched. Used only where
    /// <see cref="SandboxWatch.Available"/>; its report then says it watched.
    /// </summary>
    public SandboxWatch? Watch { get; init; }
    /// <summary>
    /// The bridge an allow-list (or a watch) starts through; null: the one beside the sidecar (<see cref="SandboxBridge.Found"/>).
    /// A test or the bench names another (plue's own, a Native AOT plue) to compare.
    /// </summary>
    public SandboxBridge.Command? Bridge { get; init; }
    /// <summary>
    /// Runs for a session (an MCP server, the Claude Code CLI, an ACP agent): the planted places it could write that do
    /// not exist yet (a workspace's <c>.envrc</c>), which bwrap cannot bind read-only, are refused by its watch.
    /// </summary>
    public bool LongLived { get; init; }
}

/// <summary>
/// Starts every child of the sidecar (the bash tool, MCP servers, the claude CLI, ACP agents, git, ripgrep, hooks):
/// the one place a policy is applied. On Linux with bubblewrap a policy other than off puts <c>bwrap</c> in front of
/// the program; elsewhere, or without bwrap, the child runs as it is and <see cref="Bubblewrap.Missing"/> says why.
/// </summary>
public static class ChildLauncher
{
    /// <summary>Whether a child under <paramref name="policy"/> is confined on this machine.</summary>
    public static bool Confines(SandboxPolicy policy) => !policy.IsOff && (Bubblewrap.Executable is not null || Seatbelt.Executable is not null);

    /// <summary>The program, arguments and environment that run <paramref name="command"/> under its policy.</summary>
    public static (string Program, List<string> Arguments, Dictionary<string, string?> Environment) Wrap(ChildCommand command)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        command.Environment(environment);
        var arguments = new List<string>();
        var confined = !command.Policy.IsOff && Bubblewrap.Executable is not null;
        if (!command.Policy.IsOff && Seatbelt.Executable is { } sandboxExec)
        {
            // macOS: sandbox-exec with the policy's profile; an allow-list reaches its proxy on a loopback port of its own.
            var proxy = command.Policy.Network == SandboxNetwork.AllowList ? command.Proxy ?? SandboxProxy.Shared(command.Policy.AllowedHosts) : null;
            var port = proxy?.LoopbackPort;
            arguments.AddRange([sandboxExec, "-p", Seatbelt.Profile(command.Policy, command.Places, port)!]);
            if (port is { } listening)
            {
                foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy" })
                    environment[name] = $"http://127.0.0.1:{listening}";
                environment.Remove("NO_PROXY");
                environment.Remove("no_proxy");
            }
        }
        if (confined)
        {
            // An allow-list's only way out is the proxy: the bridge starts first in the sandbox's own loopback (SandboxBridge).
            // A watched child starts through the C bridge too: it installs the watch (SandboxWatch).
            var proxied = command.Policy.Network == SandboxNetwork.AllowList;
            var chosen = command.Bridge ?? SandboxBridge.Found;
            var watch = command.Watch is not null ? SandboxBridge.Watching(chosen) : null;
            var bridge = watch ?? (proxied ? chosen : null);
            var places = bridge is { } plue ? command.Places with { ReadOnly = [.. command.Places.ReadOnly, .. plue.Readable] } : command.Places;
            arguments.Add(Bubblewrap.Executable!);
            arguments.AddRange(Bubblewrap.Arguments(command.Policy, places, command.WorkingDirectory));
            if (bridge is not null && proxied)
                arguments.AddRange(["--ro-bind", (command.Proxy ?? SandboxProxy.Shared(command.Policy.AllowedHosts)).SocketPath, SandboxBridge.SocketInSandbox]);
            if (watch is not null) arguments.AddRange(["--ro-bind", command.Watch!.SocketPath, SandboxWatch.SocketInSandbox]);
            // The command's own session from bwrap, not setsid in front of it: that would put bwrap's three processes
            // in a new session, and so a new scheduler group, which a loaded machine runs late (10-20 ms a call).
            if (command.Setsid is not null) arguments.Add("--new-session");
            arguments.Add("--");
            if (bridge is { } started)
            {
                arguments.AddRange(started.Line);
                if (proxied) arguments.AddRange([SandboxBridge.Flag, SandboxBridge.SocketInSandbox]);
                if (watch is not null)
                {
                    arguments.AddRange([SandboxBridge.ReportFlag, SandboxWatch.SocketInSandbox]);
                    // Its own folders, gone when it ends: a write there is said, not kept.
                    foreach (var folder in PrivateFolders(command.Policy, command.Places)) arguments.AddRange([SandboxBridge.PrivateFlag, folder]);
                    if (command.LongLived)
                        foreach (var missing in SandboxPlaces.MissingPlanted(command.Policy, command.Places)) arguments.AddRange([SandboxBridge.RefuseFlag, missing]);
                }
                arguments.Add("--");
            }
            arguments.Add(command.Program);
            // The private /tmp is the only temp folder it may write.
            environment["TMPDIR"] = "/tmp";
            if (bridge is not null)
            {
                // The proxy variables are set inside, where the listener's port is known; loopback goes through the
                // proxy too: a local server is a host like any other.
                environment.Remove("NO_PROXY");
                environment.Remove("no_proxy");
            }
        }
        else arguments.Add(command.Program);
        arguments.AddRange(command.Arguments);
        if (!confined && command.Setsid is { } setsid) arguments.Insert(0, setsid);
        var program = arguments[0];
        arguments.RemoveAt(0);
        return (program, arguments, environment);
    }

    /// <summary>The sandbox's own folders (a tmpfs each, gone when it ends): /tmp, /var/tmp and the home when hidden.</summary>
    public static IReadOnlyList<string> PrivateFolders(SandboxPolicy policy, SandboxPlaces places)
    {
        var folders = new List<string> { "/tmp" };
        if (Directory.Exists("/var/tmp")) folders.Add("/var/tmp");
        if (policy.HideHome && places.Home is { Length: > 1 } home) folders.Add(home);
        return folders;
    }

    /// <summary>Starts every sandboxed child; restricted from abstract sockets (<see cref="AbstractSockets"/>) first.</summary>
    private static readonly BlockingCollection<Action> s_launcher = Launcher("Plue sandbox launcher", closeAbstractSockets: true);

    /// <summary>Starts the children whose policy names an abstract socket (<see cref="AbstractSockets.SharedFlag"/>): unrestricted.</summary>
    private static readonly Lazy<BlockingCollection<Action>> s_sharingLauncher = new(() => Launcher("Plue sandbox launcher (abstract sockets)", closeAbstractSockets: false));

    /// <summary>Whether bwrap's <paramref name="arguments"/> are those of a child that shares the host's abstract sockets.</summary>
    public static bool SharesAbstractSockets(IEnumerable<string>? arguments) => arguments?.TakeWhile(a => a != "--").Contains(AbstractSockets.SharedFlag) == true;

    /// <summary>
    /// Starts <paramref name="start"/>; a sandboxed child from one thread that never ends: bwrap's <c>--die-with-parent</c>
    /// signals when the thread that started it ends, not the sidecar, and a pool thread that idles ends (the command was
    /// killed mid-run, exit 137; in a race its sandbox lived on, holding the output open).
    /// </summary>
    public static Process? Start(ProcessStartInfo start) =>
        Bubblewrap.Executable is null || start.FileName != Bubblewrap.Executable ? Process.Start(start)
            : OnLauncherThread(() => Process.Start(start), SharesAbstractSockets(start.ArgumentList));

    /// <summary>
    /// Runs <paramref name="work"/> (which starts a sandboxed child, as the MCP SDK's stdio transport does when it
    /// connects) on the launcher's thread, and returns what it returned or throws what it threw.
    /// </summary>
    public static T OnLauncherThread<T>(Func<T> work, bool sharesAbstractSockets = false)
    {
        // Completed inline on the launcher's thread: the caller waits blocked, and a wake-up queued to a busy thread pool
        // would wait for a pool thread while pool threads wait here.
        var done = new TaskCompletionSource<T>();
        (sharesAbstractSockets ? s_sharingLauncher.Value : s_launcher).Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    private static BlockingCollection<Action> Launcher(string name, bool closeAbstractSockets)
    {
        var queue = new BlockingCollection<Action>();
        new Thread(() =>
        {
            if (closeAbstractSockets) AbstractSockets.CloseForThisThread(Bubblewrap.Executable);
            foreach (var work in queue.GetConsumingEnumerable()) work();
        }) { IsBackground = true, Name = name }.Start();
        return queue;
    }

    /// <summary>What <see cref="Process.Start(ProcessStartInfo)"/> takes: stdio redirected, UTF-8, no window.</summary>
    public static ProcessStartInfo StartInfo(ChildCommand command)
    {
        var (program, arguments, environment) = Wrap(command);
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (command.WorkingDirectory is { } folder) start.WorkingDirectory = folder;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }
}
