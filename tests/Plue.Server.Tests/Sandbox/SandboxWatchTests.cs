using System.Diagnostics;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Shell;
using Plue.Sandbox;
using Plue.Tests.Agents.Tools;

namespace Plue.Tests.Sandbox;

/// <summary>
/// The sandbox's own account of what it refused (docs/SANDBOX.md "Denials"): the C bridge's seccomp watch in real
/// bubblewrap, through the bash tool. Skipped where bwrap or the C bridge is missing.
/// </summary>
public sealed class SandboxWatchTests
{
    private static bool Runs => Bubblewrap.Executable is not null && SandboxWatch.Available;

    private static async Task<ToolResult> BashAsync(ToolWorkspace ws, string command) =>
        await ws.RunAsync(new BashTool(), $$"""{"command":{{ToolWorkspace.Quote(command)}}}""", bashTimeoutMs: 60_000, sandbox: SandboxPolicy.WorkspaceWrite);

    private static string[] Paths(ToolResult result) => [.. result.SandboxDenials.Where(d => d.Kind == SandboxDenial.Path).Select(d => d.What)];

    [Fact]
    public async Task EveryProgramsRefusedWrite_PythonNodeAndAStaticProgram_IsADenialWithItsPath()
    {
        if (!Runs) return;
        using var ws = new ToolWorkspace();
        var commands = new List<string>
        {
            // Python names the path after its message, Node before it: neither was found in the output before.
            "/usr/bin/python3 -c \"open('/etc/plue-python', 'w')\"",
            "node -e \"require('fs').writeFileSync('/usr/plue-node', 'x')\"",
        };
        var expected = new List<string> { "/etc/plue-python", "/usr/plue-node" };
        if (File.Exists("/usr/bin/cc"))
        {
            // A static program calls the kernel itself: no libc the sandbox could hook, and its own message.
            File.WriteAllText(ws.PathOf("static.c"), "#include <fcntl.h>\n#include <unistd.h>\nint main(void){int f=open(\"/usr/plue-static\",O_WRONLY|O_CREAT,0644);write(1,f<0?\"refused\\n\":\"opened\\n\",f<0?8:7);return 0;}\n");
            using var compile = Process.Start(new ProcessStartInfo("/usr/bin/cc", ["-static", "-o", ws.PathOf("static"), ws.PathOf("static.c")]) { RedirectStandardError = true })!;
            await compile.WaitForExitAsync();
            if (compile.ExitCode == 0)
            {
                commands.Add("./static");
                expected.Add("/usr/plue-static");
            }
        }
        var result = await BashAsync(ws, string.Join("; ", commands) + "; true");
        Assert.Equal(expected, Paths(result));
        Assert.Contains("[The sandbox (", result.Output);
    }

    [Fact]
    public async Task ACommandThatPrintsAFakeDenial_ProducesNone()
    {
        if (!Runs) return;
        using var ws = new ToolWorkspace();
        var result = await BashAsync(ws, "echo 'Permission denied: /x'; echo \"touch: cannot touch '/etc/forged': Read-only file system\"; echo '/usr/y: Permission denied' >&2");
        Assert.Empty(result.SandboxDenials);
        Assert.DoesNotContain("[The sandbox (", result.Output);
    }

    [Fact]
    public async Task ARelativeDeniedPath_ThroughALinkOrAFolder_IsReportedAsTheRealOne()
    {
        if (!Runs) return;
        using var ws = new ToolWorkspace();
        File.CreateSymbolicLink(ws.PathOf("etclink"), "/etc");
        ws.Write(".git/config", "[core]\n");
        Directory.CreateDirectory(ws.PathOf(".git/hooks"));
        var result = await BashAsync(ws, "echo x > etclink/plue-x; echo y >> .git/config; cd .git && touch hooks/pre-commit; true");
        var real = global::Plue.Codex.Content.ConfinedPath.RealPath(ws.Folder)!;
        Assert.Equal(["/etc/plue-x", Path.Combine(real, ".git", "config"), Path.Combine(real, ".git", "hooks", "pre-commit")], Paths(result));
    }

    [Fact]
    public async Task AnOwnersPermissionError_IsNotTheSandboxs()
    {
        if (!Runs || OperatingSystem.IsWindows()) return;
        using var ws = new ToolWorkspace();
        var locked = Directory.CreateDirectory(ws.PathOf("locked")).FullName;
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            // Refused by the folder's mode where the tests do not run as root; allowed where they do: never the sandbox's.
            var result = await BashAsync(ws, "touch locked/file; echo done");
            Assert.Contains("done", result.Output);
            Assert.Empty(result.SandboxDenials);
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task WhatIsWrittenInThePrivateTmp_AndTheHiddenHome_IsSaid()
    {
        if (!Runs) return;
        using var ws = new ToolWorkspace();
        var result = await BashAsync(ws, "echo kept > /tmp/plue-scratch; ls ~/.ssh; echo done");
        Assert.Empty(result.SandboxDenials);
        Assert.Contains("which are emptied when each command ends, so these are gone now: /tmp/plue-scratch.", result.Output);
        Assert.Contains("The sandbox hides the home folder", result.Output);
        Assert.Contains("such as ~/.ssh, reads as missing", result.Output);

        // A command that touches neither is told nothing of them.
        var plain = await BashAsync(ws, "echo hello > hello.txt");
        Assert.DoesNotContain("private folders", plain.Output);
        Assert.DoesNotContain("hides the home", plain.Output);
    }

    [Fact]
    public async Task AUnixSocketTheSandboxHides_IsADenial_ARemovedFileIsToo()
    {
        if (!Runs) return;
        using var ws = new ToolWorkspace();
        // A socket outside the workspace, hidden by the private /var/tmp: there outside, missing inside.
        var folder = Directory.CreateDirectory($"/var/tmp/plue-watch-sock-{Guid.NewGuid():N}"[..40]).FullName;
        try
        {
            var socketPath = Path.Combine(folder, "agent.sock");
            using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
            var result = await BashAsync(ws, $"/usr/bin/python3 -c \"import socket; s=socket.socket(socket.AF_UNIX); s.connect('{socketPath}')\" 2>/dev/null; rm -f /etc/hostname 2>/dev/null; true");
            Assert.Equal([socketPath, "/etc/hostname"], Paths(result));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task UnderAnAllowList_TheWatchAndTheProxyReportTogether()
    {
        if (!Runs || !File.Exists("/usr/bin/curl")) return;
        using var ws = new ToolWorkspace();
        var policy = SandboxPolicy.WorkspaceWrite with { Network = SandboxNetwork.AllowList, AllowedHosts = ["listed.test"] };
        var result = await ws.RunAsync(new BashTool(), $$"""{"command":{{ToolWorkspace.Quote("curl -sS -m 10 http://refused.test/ 2>/dev/null; echo x > /etc/plue-allowlist; true")}}}""", bashTimeoutMs: 60_000, sandbox: policy);
        Assert.Equal([new SandboxDenial("path", "/etc/plue-allowlist"), new SandboxDenial("host", "refused.test:80")], result.SandboxDenials);
    }

    [Fact]
    public async Task AHooksRefusedWrite_IsADenial_ItsPrintedOneIsNot()
    {
        if (!Runs) return;
        using var ws = new ToolWorkspace();
        var run = await new Plue.Agents.Hooks.AgentHookRunner().RunAsync("echo x > /etc/plue-hook; echo 'touch: cannot touch '\''/etc/forged'\'': Read-only file system' >&2; true",
            ws.Folder, "{}", TimeSpan.FromSeconds(30), SandboxPolicy.WorkspaceWrite, CancellationToken.None);
        Assert.Equal([new SandboxDenial("path", "/etc/plue-hook")], run.Denials);
    }

    [Fact]
    public async Task AnMcpServersRefusedWrite_DuringACall_IsThatCallsDenial()
    {
        if (!Runs) return;
        using var ws = new ToolWorkspace();
        var script = ws.Write("server.js", """
            const fs = require('fs');
            const send = m => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n');
            require('readline').createInterface({ input: process.stdin }).on('line', line => {
              const { id, method, params } = JSON.parse(line);
              if (method === 'initialize') return send({ id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'writer', version: '1' } } });
              if (method === 'tools/list') return send({ id, result: { tools: [{ name: 'write', description: 'Writes.', inputSchema: { type: 'object' } }] } });
              if (method === 'tools/call') {
                let said = 'wrote';
                try { fs.writeFileSync('/etc/plue-mcp', 'x'); } catch (e) { said = 'failed'; }
                return send({ id, result: { content: [{ type: 'text', text: said }] } });
              }
              if (id !== undefined) send({ id, error: { code: -32601, message: `Method not found: ${method}` } });
            });
            """);
        var config = new Plue.Agents.Mcp.McpServerConfig { Slug = "writer", Title = "Writer", Version = 1, Command = "node", Args = [script], Env = [], Trusted = true, Enabled = true };
        using var vault = new Plue.Tests.Vault.VaultWorld(Plue.Tests.Vault.VaultWorld.NewKey());
        var watch = new SandboxWatch();
        var sight = new ChildDenials(watch, null);
        var transport = Plue.Agents.Mcp.McpLaunch.Transport(Plue.Agents.Mcp.McpLaunch.Options(config, vault.Vault, ws.Folder, null, SandboxPolicy.WorkspaceWrite, watch),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await using var connection = await Plue.Agents.Mcp.McpConnection.StartAsync(config, transport, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, sandbox: sight);
        var tool = Assert.Single(connection.Tools);
        var result = await tool.RunAsync(ToolWorkspace.Json("{}"), new ToolContext { TaskId = "task-1", WorkspaceFolders = [ws.Folder], Sandbox = SandboxPolicy.WorkspaceWrite }, CancellationToken.None);
        Assert.Contains("failed", result.Output);
        Assert.Equal([new SandboxDenial("path", "/etc/plue-mcp")], result.SandboxDenials);
        Assert.Contains("denied: /etc/plue-mcp (outside the workspace)", result.Output);
    }

    [Fact]
    public void TheReport_IsReadFromTheBridgesLines_PathsUnescaped_AndAMissingFolderCountsOnlyWhenItIsThereOutside()
    {
        var report = SandboxWatch.Parse("watching\tseccomp\t\ndenied\topen\t/etc/a\\tb\\nc\\\\d\nmissing\topen\t/nowhere-plue/x\nmissing\tmkdir\t/etc/plue-new\nprivate\topen\t/tmp/k\nnonsense\n");
        Assert.True(report.Watched);
        Assert.Equal("/etc/a\tb\nc\\d", report.Events[0].Path);
        Assert.Equal([new SandboxDenial("path", "/etc/a\tb\nc\\d"), new SandboxDenial("path", "/etc/plue-new"), new SandboxDenial("host", "h:443")],
            SandboxDenials.Find(report, ["h:443"]));
        var unwatched = SandboxWatch.Parse("unwatched\tseccomp\tFunction not implemented\n");
        Assert.False(unwatched.Watched);
        Assert.Equal("seccomp: Function not implemented", unwatched.Unwatched);
        // Unwatched, the output is read as before.
        Assert.Equal([new SandboxDenial("path", "/etc/x")], SandboxDenials.Find(unwatched, "touch: cannot touch '/etc/x': Read-only file system", [], ["/ws"]));
    }

    /// <summary>
    /// The added cost of the watch per bash call: the median of 50 calls with it and 50 without, printed (run with
    /// PLUE_MEASURE_WATCH=1; the figures are in docs/SANDBOX.md).
    /// </summary>
    [Fact]
    public async Task Measure_TheWatchsCostPerCall()
    {
        if (!Runs || Environment.GetEnvironmentVariable("PLUE_MEASURE_WATCH") != "1") return;
        using var ws = new ToolWorkspace();
        var folder = global::Plue.Codex.Content.ConfinedPath.RealPath(ws.Folder)!;
        const string command = "echo hi > out.txt; cat out.txt";
        async Task<double> OnceAsync(bool watched)
        {
            using var watch = watched ? new SandboxWatch() : null;
            var clock = Stopwatch.StartNew();
            using var process = Plue.Processes.ChildLauncher.Start(ProcessGroup.ShellStart(command, folder, [folder], new Dictionary<string, string?> { ["PATH"] = "/usr/bin:/bin" }, SandboxPolicy.WorkspaceWrite, null, watch: watch))!;
            process.StandardInput.Close();
            _ = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (watch is not null) Assert.True((await watch.EndAsync(TimeSpan.FromSeconds(5))).Watched);
            return clock.Elapsed.TotalMilliseconds;
        }
        var with = new List<double>();
        var without = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            without.Add(await OnceAsync(false));
            with.Add(await OnceAsync(true));
        }
        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        Console.WriteLine($"watch cost: median {Median(without):F2} ms without, {Median(with):F2} ms with, added {Median(with) - Median(without):F2} ms");
    }
}
