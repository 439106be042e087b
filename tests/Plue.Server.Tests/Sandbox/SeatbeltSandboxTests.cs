using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Plue.Processes;
using Plue.Sandbox;
using Plue.Tests.Support;

namespace Plue.Tests.Sandbox;

/// <summary>
/// macOS's sandbox as children get it (item 8's macOS half): sandbox-exec with the Seatbelt profile of the policy,
/// started by the launcher every child goes through. Runs on macOS only (the release's macOS jobs run it and must see it
/// pass, not skip): the workspace writable, its planted places not, the home hidden, no network under none.
/// </summary>
public sealed class SeatbeltSandboxTests : IDisposable
{
    private readonly string _home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    private readonly string _workspace;
    private readonly string _secret;

    public SeatbeltSandboxTests()
    {
        // In the home, which the sandbox hides but for the workspace: the system's temp folder is writable to it anyway.
        _workspace = Path.Combine(_home, $"plue-seatbelt-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(_workspace, ".vscode"));
        File.WriteAllText(Path.Combine(_workspace, ".vscode", "tasks.json"), "{}");
        _secret = Path.Combine(_home, $"plue-seatbelt-secret-{Guid.NewGuid():N}");
        File.WriteAllText(_secret, "HOME-SECRET-TEXT");
    }

    public void Dispose()
    {
        Directory.Delete(_workspace, recursive: true);
        File.Delete(_secret);
    }

    private string Run(SandboxPolicy policy, string script)
    {
        var start = ChildLauncher.StartInfo(new ChildCommand
        {
            Program = "/bin/sh", Arguments = ["-c", script], WorkingDirectory = _workspace, Policy = policy,
            Environment = env => env["PATH"] = "/usr/bin:/bin",
            Places = SandboxPlaces.For([_workspace], null) with { Home = _home },
        });
        Assert.Equal("/usr/bin/sandbox-exec", start.FileName);
        using var process = ChildLauncher.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));
        return output.Result + error;
    }

    [OsFact("macOS")]
    public void WorkspaceWrite_WritesTheWorkspace_NotItsPlantedPlaces_NorTheHome_AndReadsNothingOfTheHome()
    {
        var outside = Path.Combine(_home, $"plue-seatbelt-out-{Guid.NewGuid():N}");
        var said = Run(SandboxPolicy.WorkspaceWrite, $"""
            echo in > in.txt && echo wrote-in
            echo x > .vscode/tasks.json && echo wrote-tasks
            echo x > .envrc && echo wrote-envrc
            echo x > '{outside}' && echo wrote-out
            cat '{_secret}' || echo unread-secret
            """);

        Assert.Contains("wrote-in", said);
        Assert.Equal("in\n", File.ReadAllText(Path.Combine(_workspace, "in.txt")));
        Assert.DoesNotContain("wrote-tasks", said);
        Assert.Equal("{}", File.ReadAllText(Path.Combine(_workspace, ".vscode", "tasks.json")));
        Assert.DoesNotContain("wrote-envrc", said);
        Assert.False(File.Exists(Path.Combine(_workspace, ".envrc")));
        Assert.DoesNotContain("wrote-out", said);
        Assert.False(File.Exists(outside));
        Assert.DoesNotContain("HOME-SECRET-TEXT", said);
        Assert.Contains("unread-secret", said);
    }

    [OsFact("macOS")]
    public void NoNetwork_ReachesNoLoopbackServer_AllowList_ReachesOnlyItsHostsThroughTheProxy()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await server.AcceptTcpClientAsync();
                await client.GetStream().WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nanswer"u8.ToArray());
            }
        });

        Assert.DoesNotContain("answer", Run(SandboxPolicy.WorkspaceWrite, $"curl -sS -m 5 http://127.0.0.1:{port}/ || echo refused"));
        var listed = SandboxPolicy.WorkspaceWrite with { Network = SandboxNetwork.AllowList, AllowedHosts = [$"127.0.0.1:{port}"] };
        Assert.Contains("answer", Run(listed, $"curl -sS -m 5 http://127.0.0.1:{port}/"));
        var other = SandboxPolicy.WorkspaceWrite with { Network = SandboxNetwork.AllowList, AllowedHosts = ["example.invalid"] };
        Assert.Contains("Plue's sandbox denied", Run(other, $"curl -sS -m 5 http://127.0.0.1:{port}/"));
    }
}
