using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Protocol;
using Plue.Providers.ClaudeCode;
using Plue.Rpc;
using Plue.Tests.Rpc;
using Plue.Tests.Support;

namespace Plue.Tests.Providers.ClaudeCode;

/// <summary>The claude-code backend's RPC surface: auth/claudeCode in the production host, approvals over permission/request.</summary>
public sealed class ClaudeCodeRpcTests
{
    [Fact]
    public async Task AuthClaudeCode_MissingCli_AnswersNotInstalled()
    {
        using var home = new TempDir();
        await using var sidecar = new InProcessSidecar();
        await sidecar.StartAsync();
        await sidecar.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "initialize", ["params"] = new JsonObject { ["initializationOptions"] = new JsonObject { ["plueHome"] = home.Path } } }.ToJsonString());
        await sidecar.ReceiveAsync();

        await sidecar.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 2, ["method"] = Contract.AuthClaudeCode.Name, ["params"] = new JsonObject { ["cliPath"] = "/nonexistent/claude" } }.ToJsonString());
        var result = (await sidecar.ReceiveAsync())["result"]!;

        Assert.False((bool)result["installed"]!);
        Assert.False((bool)result["loggedIn"]!);
        Assert.NotNull(result["error"]);
    }

    [Theory]
    [InlineData("allow", ToolApprovalBehavior.Allow)]
    [InlineData("allowAlways", ToolApprovalBehavior.AllowAlways)]
    [InlineData("deny", ToolApprovalBehavior.Deny)]
    public async Task Approver_ViaClient_AsksPermissionRequestAndMapsTheDecision(string decision, ToolApprovalBehavior expected)
    {
        Pipe toSidecar = new(), toClient = new();
        var options = new JsonRpcPeerOptions { RequireInitialize = false };
        PermissionRequestParams? asked = null;
        var clientRouter = new RequestRouter();
        clientRouter.Add(Contract.PermissionRequest, p =>
        {
            asked = p;
            return new PermissionRequestResult { Decision = decision, Message = "because" };
        });
        var sidecar = new JsonRpcPeer(toSidecar.Reader.AsStream(), toClient.Writer.AsStream(), new RequestRouter(), TestLog.For<JsonRpcPeer>(), options);
        var client = new JsonRpcPeer(toClient.Reader.AsStream(), toSidecar.Writer.AsStream(), clientRouter, TestLog.For<JsonRpcPeer>(), options);
        var running = Task.WhenAll(sidecar.RunAsync(CancellationToken.None), client.RunAsync(CancellationToken.None));

        var approver = ClaudeCodeApprovals.ViaClient(sidecar, taskId: "task-7");
        using var input = JsonDocument.Parse("""{"command":"rm -rf build"}""");
        var answer = await approver(new ToolApprovalRequest { SessionId = "s1", Tool = "Bash", Input = input.RootElement, Reason = "Remove build" }, CancellationToken.None);

        Assert.Equal(expected, answer.Behavior);
        Assert.Equal("because", answer.Message);
        Assert.Equal(("task-7", "s1", "Bash", "Remove build"), (asked!.TaskId, asked.SessionId, asked.Tool, asked.Reason));
        Assert.Equal("rm -rf build", asked.Input.GetProperty("command").GetString());
        toSidecar.Writer.Complete();
        toClient.Writer.Complete();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
