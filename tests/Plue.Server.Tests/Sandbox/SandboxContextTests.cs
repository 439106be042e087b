using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Plue.Agents.Tools;
using Plue.Sandbox;
using Plue.Tests.Agents.Tools;
using Plue.Tests.Support;

namespace Plue.Tests.Sandbox;

/// <summary>
/// The Plue home a sandboxed child is kept from and the proxies of the agents a host runs are that host's
/// (<see cref="SandboxContext"/>): two hosts in one process (the tests') each hide their own home and keep their own
/// proxies, which end with their host.
/// </summary>
public sealed class SandboxContextTests
{
    [Fact]
    public async Task TwoHostsInOneProcess_EachHidesItsOwnHome_FromItsSandboxedCommands()
    {
        if (Bubblewrap.Executable is null) return; // the sandbox runs only where bwrap is
        using var first = new TempDir();
        using var second = new ToolWorkspace();
        // The first host's home inside its workspace: bound back with the workspace unless this host hides it.
        var workspace = Directory.CreateDirectory(Path.Combine(first.Path, "ws")).FullName;
        var home = Path.Combine(workspace, ".plue-home");
        await using var hostA = await SidecarWithClient.StartAsync(home, workspace);
        await using var hostB = await SidecarWithClient.StartAsync(second.Home, second.Folder);
        await File.WriteAllTextAsync(Path.Combine(home, "kept.txt"), "the first host's secret");
        var grant = new ToolGrant
        {
            TaskId = "chat-1", Allowed = new HashSet<string> { "bash" }, AutoApprove = new HashSet<string> { "bash" }, Sandbox = SandboxPolicy.WorkspaceWrite,
        };
        using var input = JsonDocument.Parse("""{"command":"cat .plue-home/kept.txt"}""");

        var result = await hostA.Runner.RunAsync(grant, "bash", input.RootElement, CancellationToken.None);

        Assert.Equal(home, hostA.Services.GetRequiredService<SandboxContext>().PlueHome);
        Assert.Equal(second.Home, hostB.Services.GetRequiredService<SandboxContext>().PlueHome);
        Assert.DoesNotContain("secret", result.Output, StringComparison.Ordinal);
        Assert.Contains("No such file", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHostsAgentProxies_AreItsOwn_AndEndWithIt()
    {
        using var first = new ToolWorkspace();
        using var second = new ToolWorkspace();
        var hostA = await SidecarWithClient.StartAsync(first.Home, first.Folder);
        await using var hostB = await SidecarWithClient.StartAsync(second.Home, second.Folder);
        var proxiesA = hostA.Services.GetRequiredService<SandboxContext>().Proxies;
        var proxiesB = hostB.Services.GetRequiredService<SandboxContext>().Proxies;
        var policy = SandboxPolicy.WorkspaceWrite.Reaching(["example.test"]);

        Assert.NotNull(proxiesA.Open("chat-1", policy, confined: true));
        Assert.True(proxiesA.Allow("chat-1", ["other.test"]));
        Assert.False(proxiesB.Allow("chat-1", ["other.test"]));

        await hostA.DisposeAsync();
        Assert.False(proxiesA.Allow("chat-1", ["other.test"]));
    }

    [Fact]
    public void Places_HideTheHostsHome_OnceKnown_ElseTheDefaultOne()
    {
        var context = new SandboxContext();
        Assert.Equal([Plue.Workspace.PlueHome.Resolve(null)], context.Places(["/ws"]).Hidden);

        context.Hide("/elsewhere/plue");

        Assert.Equal(["/elsewhere/plue"], context.Places(["/ws"]).Hidden);
        Assert.Equal(["/ws"], context.Places(["/ws"]).Roots);
    }
}
