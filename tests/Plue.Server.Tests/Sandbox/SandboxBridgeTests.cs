using System.Net;
using System.Net.Sockets;
using System.Text;
using Plue.Processes;
using Plue.Sandbox;
using Plue.Tests.Support;

namespace Plue.Tests.Sandbox;

/// <summary>
/// An allow-list child in real bubblewrap: a network namespace of its own whose only way out is the sidecar's proxy,
/// reached through the listener plue hands over from inside (docs/SANDBOX.md "The network"). Skipped where bwrap is missing.
/// </summary>
public sealed class SandboxBridgeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("plue-bridge-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [BwrapFact]
    public void AllowList_HasANetworkNamespaceOfItsOwn_StartsThroughPlue_WithTheProxysSocketBoundIn()
    {
        var policy = SandboxPolicy.WorkspaceWrite with { Network = SandboxNetwork.AllowList, AllowedHosts = ["example.test"] };
        Assert.Contains("--unshare-net", Bubblewrap.Arguments(policy, new SandboxPlaces(), null));
        if (SandboxBridge.Found is not { } plue) return; // no bridge to start through
        using var proxy = SandboxProxy.Start(policy.AllowedHosts);
        var (program, arguments, environment) = ChildLauncher.Wrap(new ChildCommand
        {
            Program = "/bin/bash", Arguments = ["-c", "true"], Environment = env => env["NO_PROXY"] = "127.0.0.1", Policy = policy, Proxy = proxy,
        });
        Assert.Equal(Bubblewrap.Executable, program);
        Assert.Equal([.. plue.Line, SandboxBridge.Flag, SandboxBridge.SocketInSandbox, "--", "/bin/bash", "-c", "true"], arguments[^(plue.Line.Count + 6)..]);
        Assert.Equal(SandboxBridge.SocketInSandbox, arguments[arguments.IndexOf(proxy.SocketPath) + 1]);
        Assert.False(environment.ContainsKey("NO_PROXY"), "loopback goes through the proxy too");
        Assert.False(environment.ContainsKey("HTTPS_PROXY"), "set inside the sandbox, where the listener's port is known");
    }

    /// <summary>
    /// The two bridges: the C one the build puts beside the sidecar (where a C compiler is, as on Linux CI) and plue's
    /// own (<c>plue --sandbox-proxy</c>), which serves where there is none.
    /// </summary>
    public static TheoryData<string> Bridges => ["c", "plue"];

    /// <summary>The case's bridge, <paramref name="which"/>; null where there is no such bridge (the C one, where no C compiler built it).</summary>
    private static SandboxBridge.Command? Bridge(string which)
    {
        var found = which == "c" ? SandboxBridge.FindNativeBridge() : SandboxBridge.FindPlue();
        if (which == "c" && File.Exists("/usr/bin/cc")) Assert.True(found is not null, "the build made no C bridge beside the sidecar");
        return found;
    }

    [Fact]
    public void TheSidecarPicksTheCBridge_WhereTheBuildMadeOne()
    {
        if (!File.Exists("/usr/bin/cc") || !OperatingSystem.IsLinux()) return;
        Assert.Equal(SandboxBridge.NativeBridge, Path.GetFileName(SandboxBridge.FindNativeBridge()!.Value.Line[0]));
    }

    [BwrapTheory]
    [MemberData(nameof(Bridges))]
    public async Task AllowList_AListedLoopbackServerAnswersThroughTheProxyOnly_AnotherIsRefusedAndReported_NothingReachesOutDirectly(string which)
    {
        if (Bridge(which) is not { } bridge) return;
        using var listed = new AnsweringServer("listed-answer");
        using var other = new AnsweringServer("other-answer");
        var policy = SandboxPolicy.WorkspaceWrite with { Network = SandboxNetwork.AllowList, AllowedHosts = [$"127.0.0.1:{listed.Port}"] };
        using var proxy = SandboxProxy.Start(policy.AllowedHosts);
        var script = string.Join("; ", [
            // A script that reuses the low descriptors (exec 3>…) keeps its way to the proxy.
            "for fd in $(seq 3 62); do eval \"exec $fd>&-\"; done",
            $"curl -sS -m 10 http://127.0.0.1:{listed.Port}/",
            "echo",
            $"curl -sS -m 10 http://127.0.0.1:{other.Port}/",
            // Past the proxy, as a program that ignores its variables: nothing listens on the sandbox's own loopback.
            $"curl -sS -m 5 --noproxy '*' http://127.0.0.1:{listed.Port}/ || echo direct-listed-failed",
            $"curl -sS -m 5 --noproxy '*' http://127.0.0.1:{other.Port}/ || echo direct-other-failed",
            $"(exec 3<>/dev/tcp/127.0.0.1/{listed.Port}) 2>/dev/null && echo raw-connected || echo raw-failed",
            "echo proxy=$HTTPS_PROXY",
        ]);
        var (exit, output) = await RunAsync(script, policy, proxy, bridge);
        Assert.Equal(0, exit);
        Assert.Contains("listed-answer", output);
        Assert.DoesNotContain("other-answer", output);
        Assert.Contains($"Plue's sandbox denied 127.0.0.1:{other.Port}", output);
        Assert.Contains("direct-listed-failed", output);
        Assert.Contains("direct-other-failed", output);
        Assert.Contains("raw-failed", output);
        Assert.Matches(@"proxy=http://127\.0\.0\.1:\d+", output);
        Assert.Equal([$"127.0.0.1:{other.Port}"], proxy.Denials);
        Assert.Equal(1, listed.Served);
        Assert.Equal(0, other.Served);
    }

    [Fact]
    public void AProxysSocket_IsInAFolderOnlyItsUserReaches_GoneWhenTheProxyIs()
    {
        if (OperatingSystem.IsWindows()) return;
        var proxy = SandboxProxy.Start(["example.test"]);
        var folder = Path.GetDirectoryName(proxy.SocketPath)!;
        Assert.True(File.Exists(proxy.SocketPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        proxy.Dispose();
        Assert.False(Directory.Exists(folder));
    }

    [BwrapTheory]
    [MemberData(nameof(Bridges))]
    public async Task AllowList_TheCommandIsTheSandboxsProcess_ItsExitCodeAndSignalsAsWithoutTheProxy(string which)
    {
        if (Bridge(which) is not { } bridge) return;
        var policy = SandboxPolicy.WorkspaceWrite with { Network = SandboxNetwork.AllowList, AllowedHosts = ["example.test"] };
        using var proxy = SandboxProxy.Start(policy.AllowedHosts);
        // SIGPIPE as the shell expects it (a runtime's ignored SIGPIPE would make `yes` fail with a write error instead).
        var (exit, output) = await RunAsync("yes | head -n 1; echo pipe=${PIPESTATUS[0]}; exit 7", policy, proxy, bridge);
        Assert.Equal(7, exit);
        Assert.Contains("pipe=141", output);
        Assert.DoesNotContain("write error", output);
    }

    private async Task<(int Exit, string Output)> RunAsync(string script, SandboxPolicy policy, SandboxProxy proxy, SandboxBridge.Command bridge)
    {
        var start = ChildLauncher.StartInfo(new ChildCommand
        {
            Program = "/bin/bash",
            Arguments = ["-c", script + " 2>&1"],
            WorkingDirectory = _root,
            Environment = env => env["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            Policy = policy,
            Places = SandboxPlaces.For([_root], null),
            Proxy = proxy,
            Bridge = bridge,
        });
        using var process = ChildLauncher.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>A host loopback HTTP server answering <c>text</c> to each request, counting them.</summary>
    private sealed class AnsweringServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private int _served;

        public AnsweringServer(string text)
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync();
                    var stream = client.GetStream();
                    var buffer = new byte[4096];
                    var head = "";
                    while (!head.Contains("\r\n\r\n") && await stream.ReadAsync(buffer) is var read and > 0) head += Encoding.Latin1.GetString(buffer, 0, read);
                    Interlocked.Increment(ref _served);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {text.Length}\r\nConnection: close\r\n\r\n{text}"));
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Served => Volatile.Read(ref _served);

        public void Dispose() => _listener.Stop();
    }
}
