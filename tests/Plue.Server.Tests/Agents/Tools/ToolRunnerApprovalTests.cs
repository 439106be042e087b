using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Approvals;
using Plue.Protocol;
using Plue.Tests.Support;
using static Plue.Tests.Agents.Tools.ToolWorkspace;

namespace Plue.Tests.Agents.Tools;

/// <summary>
/// The runner of the production host: its allow-list, its input check and its approvals, answered by a real client
/// over the real RPC peer (<c>permission/request</c>).
/// </summary>
public sealed class ToolRunnerApprovalTests
{
    private const string WriteInput = """{"path":"a.txt","content":"hello"}""";

    [Fact]
    public async Task RunAsync_ToolOutsideTheGrant_IsRefusedNamingTheAllowedTools()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);

        var result = await sidecar.Runner.RunAsync(Grant(["read", "search"]), "write", Json(WriteInput), CancellationToken.None);

        Assert.True(result.IsError);
        Assert.Equal("The tool 'write' is not allowed in this task. Allowed tools: read, search.", result.Output);
        Assert.False(File.Exists(ws.PathOf("a.txt")));
        Assert.Empty(sidecar.Asked);
    }

    [Fact]
    public async Task RunAsync_ToolOutsideAChatsGrant_IsRefusedNamingTheChat()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);

        var asked = await sidecar.Runner.RunAsync(Grant(["read"]) with { ForChat = true }, "write", Json(WriteInput), CancellationToken.None);
        var none = await sidecar.Runner.RunAsync(Grant([]) with { ForChat = true }, "write", Json(WriteInput), CancellationToken.None);

        Assert.Equal("The tool 'write' is not allowed in this chat. Allowed tools: read.", asked.Output);
        Assert.Equal("The tool 'write' is not allowed in this chat. This chat has no tools.", none.Output);
        Assert.False(File.Exists(ws.PathOf("a.txt")));
    }

    [Fact]
    public async Task RunAsync_UnknownToolInTheGrant_SaysThereIsNoSuchTool()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);

        var result = await sidecar.Runner.RunAsync(Grant(["read", "teleport"]), "teleport", Json("{}"), CancellationToken.None);

        Assert.True(result.IsError);
        Assert.Contains("There is no tool 'teleport'", result.Output);
    }

    [Fact]
    public async Task RunAsync_InputMissingARequiredMember_IsRefusedBeforeAnyoneIsAsked()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);

        var result = await sidecar.Runner.RunAsync(Grant(["write"]), "write", Json("""{"path":"a.txt"}"""), CancellationToken.None);

        Assert.True(result.IsError);
        Assert.Equal("write: Invalid input: 'content' is required.", result.Output);
        Assert.Empty(sidecar.Asked);
        Assert.False(File.Exists(ws.PathOf("a.txt")));
    }

    [Fact]
    public async Task RunAsync_InputOfTheWrongType_IsRefused()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);

        var result = await sidecar.Runner.RunAsync(Grant(["read"]), "read", Json("""{"path":5}"""), CancellationToken.None);

        Assert.True(result.IsError);
        Assert.Contains("'path' must be a string, not a number", result.Output);
    }

    [Fact]
    public async Task RunAsync_ToolThatDoesNotAsk_RunsWithoutAsking()
    {
        using var ws = new ToolWorkspace();
        ws.Write("a.txt", "x");
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);

        var result = await sidecar.Runner.RunAsync(Grant(["read"]), "read", Json("""{"path":"a.txt"}"""), CancellationToken.None);

        Assert.Equal("1\tx\n", result.Output);
        Assert.Empty(sidecar.Asked);
    }

    [Fact]
    public async Task RunAsync_Allowed_AsksOnceWithTaskToolInputAndReasonThenRuns()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        var waiting = new ConcurrentQueue<(bool Waiting, PendingApproval? Pending)>();
        var grant = Grant(["write"], taskId: "task-42") with { OnWaitingApproval = (w, p) => waiting.Enqueue((w, p)) };

        var result = await sidecar.Runner.RunAsync(grant, "write", Json(WriteInput), CancellationToken.None);

        Assert.False(result.IsError, result.Output);
        Assert.Equal("hello", File.ReadAllText(ws.PathOf("a.txt")));
        var asked = Assert.Single(sidecar.Asked);
        Assert.Equal(("task-42", "write", "Write a.txt"), (asked.TaskId, asked.Tool, asked.Reason));
        Assert.Equal("hello", asked.Input.GetProperty("content").GetString());
        // The task shows waiting-approval while the question is open, and stops showing it after.
        Assert.Equal(2, waiting.Count);
        var (first, pending) = waiting.First();
        Assert.True(first);
        Assert.Equal("write", pending!.Tool);
        Assert.Equal("a.txt", pending.Input!["path"]!.GetValue<string>());
        Assert.Equal((false, null), waiting.Last());
    }

    [Fact]
    public async Task RunAsync_Denied_TellsTheModelWithTheUsersMessageAndRunsNothing()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        sidecar.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "deny", Message = "not that file" });

        var result = await sidecar.Runner.RunAsync(Grant(["write"]), "write", Json(WriteInput), CancellationToken.None);

        Assert.True(result.IsError);
        Assert.Equal("The user denied this write call, saying: not that file", result.Output);
        Assert.False(File.Exists(ws.PathOf("a.txt")));
    }

    [Fact]
    public async Task RunAsync_AutoApprovedInATrustedWorkspace_RunsWithoutAsking()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);

        var result = await sidecar.Runner.RunAsync(Grant(["write"], ["write"]), "write", Json(WriteInput), CancellationToken.None);

        Assert.False(result.IsError, result.Output);
        Assert.Empty(sidecar.Asked);
    }

    [Fact]
    public async Task RunAsync_AllowAlwaysForTheTask_IsNotAskedAgainInThatTaskButIsInAnother()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        sidecar.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "allowAlways", Scope = "task" });

        await sidecar.Runner.RunAsync(Grant(["write"], taskId: "t1"), "write", Json(WriteInput), CancellationToken.None);
        var again = await sidecar.Runner.RunAsync(Grant(["write"], taskId: "t1"), "write", Json("""{"path":"b.txt","content":"x"}"""), CancellationToken.None);
        await sidecar.Runner.RunAsync(Grant(["write"], taskId: "t2"), "write", Json("""{"path":"c.txt","content":"x"}"""), CancellationToken.None);

        Assert.False(again.IsError, again.Output);
        Assert.True(File.Exists(ws.PathOf("b.txt")));
        Assert.Equal(["t1", "t2"], sidecar.Asked.Select(a => a.TaskId));
        // A grant of the task alone: nothing was granted for the workspace.
        var grants = sidecar.Services.GetRequiredService<ToolGrants>().Records().Select(g => (g.Fields["scope"]!.GetValue<string>(), g.Fields["owner_id"]!.GetValue<string>()));
        Assert.Equal([("task", "t1"), ("task", "t2")], grants.Order());
    }

    [Fact]
    public async Task RunAsync_AllowAlwaysForTheWorkspace_IsRememberedByTheNextSidecarForThatWorkspaceOnly()
    {
        using var ws = new ToolWorkspace();
        await using (var first = await SidecarWithClient.StartAsync(ws.Home, ws.Folder))
        {
            first.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "allowAlways", Scope = "workspace" });
            await first.Runner.RunAsync(Grant(["write"], taskId: "t1"), "write", Json(WriteInput), CancellationToken.None);
            Assert.Single(first.Asked);
        }

        await using var second = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        second.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "deny" });
        var result = await second.Runner.RunAsync(Grant(["write"], taskId: "t9"), "write", Json("""{"path":"b.txt","content":"x"}"""), CancellationToken.None);

        Assert.False(result.IsError, result.Output);
        Assert.Empty(second.Asked);
        // bash was not allowed always: it is still asked (and denied here).
        var bash = await second.Runner.RunAsync(Grant(["bash"], taskId: "t9"), "bash", Json("""{"command":"true"}"""), CancellationToken.None);
        Assert.True(bash.IsError);
        Assert.Single(second.Asked);

        using var otherRoot = new TempDir();
        await using var elsewhere = await SidecarWithClient.StartAsync(ws.Home, otherRoot.Path);
        elsewhere.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "deny" });
        var other = await elsewhere.Runner.RunAsync(Grant(["write"]), "write", Json(WriteInput), CancellationToken.None);
        Assert.True(other.IsError);
        Assert.Single(elsewhere.Asked);
    }

    [Fact]
    public async Task RunAsync_UntrustedWorkspace_AsksEvenWhenAutoApprovedAndRemembersNothing()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder, trusted: false);
        sidecar.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "allowAlways", Scope = "workspace" });
        var grant = Grant(["write"], ["write"]);

        await sidecar.Runner.RunAsync(grant, "write", Json(WriteInput), CancellationToken.None);
        var second = await sidecar.Runner.RunAsync(grant, "write", Json("""{"path":"b.txt","content":"x"}"""), CancellationToken.None);

        Assert.False(second.IsError, second.Output);
        Assert.Equal(2, sidecar.Asked.Count);
        Assert.Contains("not trusted", sidecar.Asked.First().Reason);
        Assert.Empty(sidecar.Services.GetRequiredService<ToolGrants>().Records());
    }

    [Fact]
    public async Task RunAsync_ClientThatCannotAnswerPermissions_IsTakenAsADenial()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder, answersPermissions: false);

        var result = await sidecar.Runner.RunAsync(Grant(["write"]), "write", Json(WriteInput), CancellationToken.None);

        Assert.True(result.IsError);
        Assert.StartsWith("The user could not be asked to approve write", result.Output);
        Assert.False(File.Exists(ws.PathOf("a.txt")));
    }

    [Fact]
    public async Task RunAsync_ClientGone_IsTakenAsADenial()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        var runner = sidecar.Runner;
        sidecar.Disconnect();

        var result = await runner.RunAsync(Grant(["write"]), "write", Json(WriteInput), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.IsError);
        Assert.Contains("was not run", result.Output);
        Assert.False(File.Exists(ws.PathOf("a.txt")));
    }

    [Fact]
    public async Task RunAsync_InterruptedWhileWaitingForApproval_ThrowsCancellationAndStopsWaiting()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        var clientCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sidecar.Answer = async (_, cancellationToken) =>
        {
            // The user never answers; the sidecar's $/cancelRequest is what ends this.
            await using var registration = cancellationToken.Register(() => clientCancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new PermissionRequestResult { Decision = "allow" };
        };
        var waiting = new ConcurrentQueue<bool>();
        using var interrupt = new CancellationTokenSource();
        var grant = Grant(["write"]) with { OnWaitingApproval = (w, _) => waiting.Enqueue(w) };

        var run = sidecar.Runner.RunAsync(grant, "write", Json(WriteInput), interrupt.Token);
        while (sidecar.Asked.IsEmpty) await Task.Delay(10);
        await interrupt.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([true, false], waiting);
        await clientCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(File.Exists(ws.PathOf("a.txt")));
    }

    [Fact]
    public async Task Declarations_OfferOnlyTheGrantedTools()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);

        var declared = sidecar.Runner.Declarations(Grant(["read", "edit"]));

        Assert.Equal(["edit", "read"], declared.Select(d => d.Name).Order());
        Assert.Equal("object", declared[0].JsonSchema.GetProperty("type").GetString());
    }

    [Fact]
    public async Task PermissionsListAndReset_OverRpc_ShowAndForgetTheWorkspaceAllowAlways()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        sidecar.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "allowAlways", Scope = "workspace" });
        await sidecar.Runner.RunAsync(Grant(["write"]), "write", Json(WriteInput), CancellationToken.None);
        sidecar.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "allowAlways" });
        await sidecar.Runner.RunAsync(Grant(["bash"], taskId: "t7"), "bash", Json("""{"command":"true"}"""), CancellationToken.None);

        var listed = await sidecar.CallAsync(Contract.PermissionsList.Name, []);

        var workspace = Assert.Single(listed["workspaces"]!.AsArray())!;
        Assert.Equal([ws.Folder], workspace["folders"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(["write"], workspace["tools"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.True(workspace["current"]!.GetValue<bool>());
        var task = Assert.Single(listed["tasks"]!.AsArray())!;
        Assert.Equal("t7", task["taskId"]!.GetValue<string>());

        var reset = await sidecar.CallAsync(Contract.PermissionsReset.Name, []);
        var resetTask = await sidecar.CallAsync(Contract.PermissionsReset.Name, new JsonObject { ["taskId"] = "t7" });

        Assert.Equal(1, reset["removed"]!.GetValue<int>());
        Assert.Equal(1, resetTask["removed"]!.GetValue<int>());
        var after = await sidecar.CallAsync(Contract.PermissionsList.Name, []);
        Assert.Empty(after["workspaces"]!.AsArray());
        Assert.Empty(after["tasks"]!.AsArray());
        sidecar.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "deny" });
        var asksAgain = await sidecar.Runner.RunAsync(Grant(["write"]), "write", Json("""{"path":"b.txt","content":"x"}"""), CancellationToken.None);
        Assert.True(asksAgain.IsError);
    }

    [Fact]
    public async Task RunAsync_AllowAlwaysACommandPrefix_RunsThatPrefixWithoutAskingAndAsksForAnyOtherCommand()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        sidecar.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "allowAlways", Scope = "workspace", CommandPrefix = "echo hi" });

        var first = await sidecar.Runner.RunAsync(Grant(["bash"], taskId: "t1"), "bash", Json("""{"command":"echo hi there"}"""), CancellationToken.None);
        Assert.Equal("echo hi", Assert.Single(sidecar.Asked).SuggestedPrefix);
        Assert.Equal(("allow", "user"), (first.Approval!.Decision, first.Approval.Source));

        sidecar.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "deny" });
        var again = await sidecar.Runner.RunAsync(Grant(["bash"], taskId: "t2"), "bash", Json("""{"command":"echo hi again"}"""), CancellationToken.None);
        var chained = await sidecar.Runner.RunAsync(Grant(["bash"], taskId: "t2"), "bash", Json("""{"command":"echo hi; touch x"}"""), CancellationToken.None);
        var other = await sidecar.Runner.RunAsync(Grant(["bash"], taskId: "t2"), "bash", Json("""{"command":"echo bye"}"""), CancellationToken.None);

        Assert.False(again.IsError, again.Output);
        Assert.Equal(("allow", "workspace", "grant: bash `echo hi` in this workspace"), (again.Approval!.Decision, again.Approval.Source, again.Approval.Rule));
        Assert.NotNull(again.Approval.GrantId);
        Assert.True(chained.Denied);
        Assert.False(File.Exists(ws.PathOf("x")));
        Assert.True(other.Denied);
        Assert.Equal(("deny", "user"), (other.Approval!.Decision, other.Approval.Source));
        Assert.Equal(3, sidecar.Asked.Count);
    }

    [Fact]
    public async Task Grants_FromTheOldPermissionsFile_BecomeRecordsThatStillAllow()
    {
        using var ws = new ToolWorkspace();
        File.WriteAllText(Path.Combine(ws.Home, "permissions.json"),
            new JsonObject { ["version"] = 1, ["workspaces"] = new JsonArray(new JsonObject { ["folders"] = new JsonArray(ws.Folder), ["tools"] = new JsonArray("write") }) }.ToJsonString());
        await using var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        sidecar.Answer = (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "deny" });

        var result = await sidecar.Runner.RunAsync(Grant(["write"]), "write", Json(WriteInput), CancellationToken.None);

        Assert.False(result.IsError, result.Output);
        Assert.Empty(sidecar.Asked);
        var grant = Assert.Single(sidecar.Services.GetRequiredService<ToolGrants>().Records());
        Assert.Equal("write", grant.Fields["tool"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(ws.Home, "permissions.json")));
        Assert.True(File.Exists(Path.Combine(ws.Home, "permissions.json.migrated")));
    }
}
