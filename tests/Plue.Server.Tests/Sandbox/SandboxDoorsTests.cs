using System.Diagnostics;
using System.Net.Sockets;
using Plue.Processes;
using Plue.Sandbox;
using Plue.Tests.Support;

namespace Plue.Tests.Sandbox;

/// <summary>
/// The doors a sandboxed child must not open (docs/SANDBOX.md, "The doors"), through the sandbox the machine has, as
/// every child is started (<see cref="ChildLauncher"/>): bubblewrap on Linux, Seatbelt on macOS (the release's macOS
/// jobs run this class, <c>Category=SandboxDoors</c>); skipped, saying why, where there is none. What lies in the Plue
/// home or a credential store, whatever its command names; a Unix socket in the runtime folder, under /run or in a
/// readable home; and what another program runs later (a workspace's .vscode, an agent folder's settings).
/// </summary>
[Collection(nameof(SandboxDoorsTests))] // sets XDG_RUNTIME_DIR for its process
[Trait("Category", "SandboxDoors")]
public sealed class SandboxDoorsTests : IDisposable
{
    /// <summary>The sandbox keeps its own list of the agents' home folders (it may not use the customizations room): the same folders.</summary>
    [Fact]
    public void TheAgentHomeFolders_TheSandboxProtects_AreTheCustomizationsUserFolders() =>
        Assert.Equal(Plue.Customizations.CustomizationLayouts.HomeFolders.Order(StringComparer.Ordinal), SandboxPlaces.AgentHomeFolders.Order(StringComparer.Ordinal));

    // Its real path: Seatbelt matches the paths a process resolves (macOS's temp folder lies behind /var -> /private/var).
    private readonly string _root = Plue.Codex.Content.ConfinedPath.RealPath(Directory.CreateTempSubdirectory("plue-doors-").FullName)!;
    private readonly List<Socket> _listening = [];
    private readonly List<string> _made = [];
    private readonly string? _runtimeBefore = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("XDG_RUNTIME_DIR", _runtimeBefore);
        foreach (var socket in _listening) socket.Dispose();
        foreach (var path in _made) File.Delete(path);
        Directory.Delete(_root, recursive: true);
    }

    private string Make(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A Unix socket listening at <paramref name="path"/>; false where the folder cannot hold one.</summary>
    private bool Listen(string path)
    {
        try
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(path));
            socket.Listen(4);
            _listening.Add(socket);
            if (!path.StartsWith(_root, StringComparison.Ordinal)) _made.Add(path);
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Runs node with <paramref name="script"/> in the machine's sandbox under <paramref name="policy"/> over <paramref name="places"/>; its output.</summary>
    private static string Run(SandboxPolicy policy, SandboxPlaces places, string script, string? workingDirectory = null)
    {
        var start = ChildLauncher.StartInfo(new ChildCommand
        {
            Program = MachineSandbox.Node!, Arguments = ["-e", script], WorkingDirectory = workingDirectory, Policy = policy, Places = places,
            Environment = env => env["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        });
        Assert.Equal(Bubblewrap.Executable ?? Seatbelt.Executable, start.FileName);
        using var process = ChildLauncher.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the sandboxed probe did not end");
        return output.Result + error;
    }

    /// <summary>A node probe: for each path, whether a connection to it was made and whether it could be read.</summary>
    private static string Probe(IEnumerable<string> sockets, IEnumerable<string> files, IEnumerable<string> writes) => $$"""
        const net = require('node:net'), fs = require('node:fs');
        (async () => {
          for (const p of {{Json(sockets)}}) {
            await new Promise((done) => { const c = net.connect(p, () => { console.log('connected ' + p); c.destroy(); done(); }); c.on('error', (e) => { console.log('refused ' + p + ' ' + e.code); done(); }); });
          }
          for (const p of {{Json(files)}}) { try { console.log('read ' + p + ' ' + fs.readFileSync(p, 'utf8')); } catch (e) { console.log('unread ' + p + ' ' + e.code); } }
          for (const p of {{Json(writes)}}) { try { fs.mkdirSync(require('node:path').dirname(p), { recursive: true }); fs.writeFileSync(p, 'planted'); console.log('wrote ' + p); } catch (e) { console.log('unwritten ' + p + ' ' + e.code); } }
        })();
        """;

    private static string Json(IEnumerable<string> items) => "[" + string.Join(",", items.Select(i => "\"" + i.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"")) + "]";

    [SandboxTheory]
    [InlineData(true)]
    [InlineData(false)] // as MCP servers, the CLI and ACP agents: the home readable
    public void ASandboxedChild_ReadsNothingOfThePlueHomeOrACredentialStore_ConnectsToNoSocketOutsideItsWorkspace_ChangesNothingPlanted(bool hideHome)
    {
        var home = Path.Combine(_root, "user");
        var plueHome = Path.Combine(_root, "plue-home");
        var workspace = Path.Combine(_root, "ws");
        var vaultKey = Make("plue-home/vault.key", "VAULT-KEY-TEXT");
        var database = Make("plue-home/plue.db", "SQLITE-TEXT");
        var sshKey = Make("user/.ssh/id_test", "SSH-KEY-TEXT");
        var settings = Make("user/.claude/settings.json", "{}");
        var tasks = Make("ws/.vscode/tasks.json", "{}");
        Make("ws/a.txt", "in the workspace");
        var runtime = Path.Combine(_root, "runtime");
        Directory.CreateDirectory(runtime);
        Environment.SetEnvironmentVariable("XDG_RUNTIME_DIR", runtime);
        var sockets = new List<string> { Path.Combine(runtime, "bus"), Path.Combine(home, "agent.sock"), Path.Combine(workspace, "own.sock") };
        var inRun = $"/run/plue-doors-{Environment.ProcessId}.sock";
        if (Listen(inRun)) sockets.Add(inRun);
        foreach (var socket in sockets.Take(3)) Assert.True(Listen(socket), socket);
        var places = new SandboxPlaces
        {
            Roots = [workspace], Hidden = [plueHome], Home = home,
            // What a hook's or an MCP server's command line names, and an agent's own folder it may write.
            ReadOnly = [vaultKey, database, sshKey, plueHome, Path.Combine(home, ".ssh")],
            Writable = [Path.Combine(home, ".claude")],
        };
        var policy = SandboxPolicy.WorkspaceWrite with { HideHome = hideHome };
        var args = Bubblewrap.Arguments(policy, places, workspace);
        Assert.DoesNotContain(vaultKey, args);
        Assert.DoesNotContain(sshKey, args);

        var output = Run(policy, places, Probe(sockets, [vaultKey, database, sshKey, Path.Combine(workspace, "a.txt")], [tasks, settings, Path.Combine(workspace, "b.txt")]), workspace);

        foreach (var secret in new[] { "VAULT-KEY-TEXT", "SQLITE-TEXT", "SSH-KEY-TEXT" }) Assert.DoesNotContain(secret, output);
        foreach (var socket in sockets.Where(s => s != Path.Combine(workspace, "own.sock"))) Assert.Contains($"refused {socket}", output);
        // Seatbelt without a network reaches no Unix socket at all, the workspace's own too (docs/SANDBOX.md).
        Assert.Contains($"{(MachineSandbox.IsSeatbelt ? "refused" : "connected")} {Path.Combine(workspace, "own.sock")}", output);
        Assert.Contains("in the workspace", output);
        Assert.Contains($"wrote {Path.Combine(workspace, "b.txt")}", output);
        Assert.Contains($"unwritten {tasks} {MachineSandbox.RefusedWrite}", output);
        Assert.Equal("{}", File.ReadAllText(tasks));
        Assert.Equal("{}", File.ReadAllText(settings));
    }

    [BubblewrapFact("Seatbelt opens no Unix socket by name, and a credential store the policy names only with the home")]
    public void APolicy_OpensTheSocketsAndCredentialStoresItNames_AndNoOther()
    {
        var home = Path.Combine(_root, "user");
        var aws = Make("user/.aws/credentials", "AWS-TEXT");
        var ssh = Make("user/.ssh/id_test", "SSH-KEY-TEXT");
        var runtime = Path.Combine(_root, "runtime");
        Directory.CreateDirectory(runtime);
        Environment.SetEnvironmentVariable("XDG_RUNTIME_DIR", runtime);
        var named = Path.Combine(runtime, "docker.sock");
        var other = Path.Combine(runtime, "bus");
        Assert.True(Listen(named) && Listen(other));
        var policy = SandboxPolicy.WorkspaceWrite with { Sockets = [named], Credentials = ["~/.aws"] };

        var output = Run(policy, new SandboxPlaces { Home = home }, Probe([named, other], [aws, ssh], []));

        Assert.Contains($"connected {named}", output);
        Assert.Contains($"refused {other}", output);
        Assert.Contains("AWS-TEXT", output);
        Assert.DoesNotContain("SSH-KEY-TEXT", output);
    }

    /// <summary>
    /// Abstract Unix sockets live in the network namespace: under an open network, a child started by the launcher
    /// (restricted by Landlock's scope) reaches none the sidecar's side made, unless its policy names it (<c>@name</c>).
    /// </summary>
    [BubblewrapFact("abstract Unix sockets are Linux's, closed by Landlock")]
    public void AbstractSockets_AreClosedUnderAnOpenNetwork_UnlessThePolicyNamesOne()
    {
        var name = $"plue-abstract-{Environment.ProcessId}-{Guid.NewGuid():N}";
        // Node's listener (.NET pads an abstract name's address with zeros, which makes it another name).
        using var listener = Process.Start(new ProcessStartInfo(MachineSandbox.Node!, ["-e", $"require('node:net').createServer((c) => c.end()).listen('\\u0000{name}'); setTimeout(() => {{}}, 120000);"]))!;
        try
        {
            for (var i = 0; i < 500 && !File.ReadAllText("/proc/net/unix").Contains("@" + name, StringComparison.Ordinal); i++) Thread.Sleep(20);
            AbstractSocketsReached(name);
        }
        finally
        {
            listener.Kill();
        }
    }

    private void AbstractSocketsReached(string name)
    {
        var open = SandboxPolicy.WorkspaceWrite with { Network = SandboxNetwork.Open };

        string Launched(SandboxPolicy policy)
        {
            var start = ChildLauncher.StartInfo(new ChildCommand
            {
                Program = MachineSandbox.Node!, Policy = policy,
                Arguments = ["-e", $"const c = require('node:net').connect('\\u0000{name}', () => {{ console.log('connected'); c.destroy(); }}); c.on('error', (e) => console.log('refused ' + e.code));"],
                Environment = env => env["PATH"] = "/usr/bin:/bin", Places = new SandboxPlaces { Home = Path.Combine(_root, "user") },
            });
            using var process = ChildLauncher.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(60_000));
            return output.Result + error;
        }

        var first = Launched(open);
        if (AbstractSockets.Open is not null)
        {
            Assert.Contains("connected", first); // said in docs/SANDBOX.md: reachable where the kernel cannot close them
            return;
        }
        Assert.Contains("refused EPERM", first); // Landlock's answer
        Assert.Contains("refused", Launched(SandboxPolicy.WorkspaceWrite)); // a network of its own
        Assert.Contains("connected", Launched(open with { Sockets = ["@" + name] }));
    }

    /// <summary>
    /// The agents' sign-in files are credential stores: hidden from every child (an MCP server, whose home is readable),
    /// but the one an agent signs in with itself stays readable and writable to it (the Claude Code CLI refreshes its token).
    /// </summary>
    [SandboxFact]
    public void AgentSignInFiles_AreHiddenFromEveryChild_ButTheAgentKeepsItsOwn()
    {
        var home = Path.Combine(_root, "user");
        var claude = Make("user/.claude/.credentials.json", "CLAUDE-OAUTH-TEXT");
        var codex = Make("user/.codex/auth.json", "CODEX-AUTH-TEXT");
        var gemini = Make("user/.gemini/oauth_creds.json", "GEMINI-OAUTH-TEXT");
        var places = new SandboxPlaces { Home = home, Writable = [Path.Combine(home, ".claude")] };
        var policy = SandboxPolicy.WorkspaceWrite with { HideHome = false };

        var server = Run(policy, places, Probe([], [claude, codex, gemini], []));
        foreach (var secret in new[] { "CLAUDE-OAUTH-TEXT", "CODEX-AUTH-TEXT", "GEMINI-OAUTH-TEXT" }) Assert.DoesNotContain(secret, server);

        var cli = Run(policy, places with { SignIn = [".claude/.credentials.json"] }, Probe([], [claude, codex, gemini], [claude]));
        Assert.Contains("CLAUDE-OAUTH-TEXT", cli);
        Assert.Contains($"wrote {claude}", cli);
        Assert.DoesNotContain("CODEX-AUTH-TEXT", cli);
        Assert.DoesNotContain("GEMINI-OAUTH-TEXT", cli);
        Assert.Equal("planted", File.ReadAllText(claude));
    }

    /// <summary>
    /// Item 3 of the trust work with the CLI's folder moved out of the home (<c>CLAUDE_CONFIG_DIR</c>): its sign-in is
    /// hidden from every other child, even one whose command line names the folder or the file, and the CLI that keeps
    /// it reads and refreshes it while that folder's settings and hooks stay read-only to it (planted).
    /// </summary>
    [SandboxFact]
    public void AMovedClaudeConfigDir_HidesItsSignInFromEveryOtherChild_AndKeepsItsSettingsAndHooksReadOnly()
    {
        var home = Path.Combine(_root, "user");
        var configDir = Path.Combine(_root, "claude-config");
        var signIn = Make("claude-config/.credentials.json", "MOVED-OAUTH-TEXT");
        var settings = Make("claude-config/settings.json", "SETTINGS-TEXT");
        var hook = Path.Combine(configDir, "hooks", "planted.sh");
        Directory.CreateDirectory(Path.GetDirectoryName(hook)!);
        var session = Path.Combine(configDir, "projects", "session.jsonl");
        // As the sidecar's CLAUDE_CONFIG_DIR makes them (SandboxPlaces.MovedAgentFolders), without changing this process's.
        IReadOnlyList<(string, string)> moved = [(configDir, ".claude")];
        var readable = SandboxPolicy.WorkspaceWrite with { HideHome = false };
        // An MCP server whose arguments name the folder (bound for it) and a bash call naming the file itself.
        var server = Run(readable, new SandboxPlaces { Home = home, ReadOnly = [configDir], MovedAgentFolders = moved }, Probe([], [signIn, settings], []));
        Assert.Contains("SETTINGS-TEXT", server);
        Assert.DoesNotContain("MOVED-OAUTH-TEXT", server);
        var bash = Run(SandboxPolicy.WorkspaceWrite, new SandboxPlaces { Home = home, ReadOnly = [signIn], MovedAgentFolders = moved }, Probe([], [signIn], []));
        Assert.DoesNotContain("MOVED-OAUTH-TEXT", bash);

        var cli = Run(readable, new SandboxPlaces { Home = home, Writable = [configDir], SignIn = [".claude/.credentials.json"], MovedAgentFolders = moved },
            Probe([], [signIn], [signIn, session, settings, hook]));
        Assert.Contains("MOVED-OAUTH-TEXT", cli);
        Assert.Contains($"wrote {signIn}", cli);
        Assert.Contains($"wrote {session}", cli);
        Assert.Contains($"unwritten {settings} {MachineSandbox.RefusedWrite}", cli);
        Assert.Contains($"unwritten {hook} {MachineSandbox.RefusedWrite}", cli);
        Assert.Equal("SETTINGS-TEXT", File.ReadAllText(settings));
        Assert.False(File.Exists(hook));
    }

    /// <summary>The sidecar's CLAUDE_CONFIG_DIR and CODEX_HOME are read into the places a child is given, each as the home folder it stands for.</summary>
    [Fact]
    public void TheAgentFolderVariables_AreReadIntoThePlaces() =>
        Assert.Equal([("/srv/claude-config", ".claude"), ("/srv/codex", ".codex")],
            SandboxPlaces.MovedFrom(name => name switch { "CLAUDE_CONFIG_DIR" => "/srv/claude-config/", "CODEX_HOME" => "/srv/codex", _ => null }));

    [Fact]
    public void APlantedPlace_TheUserAllowed_IsWritable_OneThatIsNotThereIsNeverBound()
    {
        var workspace = Path.Combine(_root, "ws");
        var tasks = Make("ws/.vscode/tasks.json", "{}");
        var places = new SandboxPlaces { Roots = [workspace], Home = Path.Combine(_root, "user") };
        var args = Bubblewrap.Arguments(SandboxPolicy.WorkspaceWrite, places, null);
        Assert.Equal("--ro-bind", args[args.IndexOf(Path.Combine(workspace, ".vscode")) - 1]);
        // bwrap would leave an empty file or folder where it binds one that is not there: .envrc is left to the command's end.
        Assert.DoesNotContain(Path.Combine(workspace, ".envrc"), args);
        // Allowed once from a denial in it: the place itself is made writable, whether it exists or not.
        var allowed = SandboxPolicy.WorkspaceWrite.Allowing([new SandboxDenial(SandboxDenial.Path, tasks), new SandboxDenial(SandboxDenial.Path, Path.Combine(workspace, ".envrc"))]);
        Assert.Equal([Path.Combine(workspace, ".vscode"), Path.Combine(workspace, ".envrc")], allowed.WritablePaths);
        var opened = Bubblewrap.Arguments(allowed, places, null);
        var vscode = Path.Combine(workspace, ".vscode");
        Assert.Equal("--bind-try", opened[opened.IndexOf(vscode) - 1]);
        Assert.Equal(2, opened.Count(a => a == vscode)); // bound once, writable: not read-only after
        Assert.DoesNotContain(Path.Combine(workspace, ".envrc"), SandboxPlaces.MissingPlanted([workspace], allowed));
        Assert.Contains(Path.Combine(workspace, ".envrc"), SandboxPlaces.MissingPlanted([workspace], SandboxPolicy.WorkspaceWrite));
    }
}
