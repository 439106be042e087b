using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Plue.Agents;
using Plue.Rpc;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Agents;

/// <summary>
/// The task kind over the real sidecar and its SQLite store: what the runner writes (status, result, its times) is
/// refused to a caller's <c>codex/update</c> and <c>codex/create</c> (a status too), naming the field, with nothing changed, and a caller's
/// <c>codex/undo</c> does not take back what the runner wrote; the runner's own writes pass; a running task is not deleted.
/// </summary>
public sealed class TaskKindTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync() => _world = await AgentWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    public static TheoryData<string, JsonObject> CallerChanges() => new()
    {
        { "result", new JsonObject { ["fields"] = new JsonObject { ["result"] = "I made this up." } } },
        { "result", new JsonObject { ["fields"] = new JsonObject { ["result"] = null } } },
        { "status_reason", new JsonObject { ["fields"] = new JsonObject { ["status_reason"] = "Because." } } },
        { "elapsed_ms", new JsonObject { ["fields"] = new JsonObject { ["elapsed_ms"] = 1 } } },
        { "started_at", new JsonObject { ["fields"] = new JsonObject { ["started_at"] = "2020-01-01T00:00:00Z" } } },
        { "run_owner", new JsonObject { ["fields"] = new JsonObject { ["run_owner"] = "pid:1" } } },
        { "status", new JsonObject { ["status"] = "running" } },
    };

    [Theory]
    [MemberData(nameof(CallerChanges))]
    public async Task CodexUpdate_RunnerWrittenField_IsRefusedNamingIt_AndNothingChanged(string field, JsonObject change)
    {
        var (id, before) = await FinishedTaskAsync();
        change["id"] = id;
        change["version"] = before["version"]!.DeepClone();

        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("codex/update", change));

        Assert.Equal(ErrorCodes.InvalidParams, refused.Code);
        Assert.Contains($"{field}: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("the task writes it as it runs (Run, Interrupt and Resume run it)", refused.Message, StringComparison.Ordinal);
        var after = await RecordAsync(id);
        Assert.True(JsonNode.DeepEquals(before, after), "the refused change left the record as it was");
    }

    [Fact]
    public async Task CodexUpdate_CallerFieldBesideUnchangedRunnerFields_IsAccepted()
    {
        var (id, before) = await FinishedTaskAsync();
        var fields = before["fields"]!.DeepClone().AsObject();
        fields["max_turns"] = 7; // the form sends the runner's fields back as they were: not a change to them

        var updated = (await _world.Client.CallAsync("codex/update", new JsonObject { ["id"] = id, ["version"] = before["version"]!.DeepClone(), ["fields"] = fields }))!;

        Assert.Equal(7, updated["fields"]!["max_turns"]!.GetValue<int>());
        Assert.Equal("Finished.", updated["fields"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task TaskRecordsUpdate_RunnerWritesItsFields_Passes()
    {
        var (id, _) = await FinishedTaskAsync();
        var records = _world.Sidecar.Services.GetRequiredService<TaskRecords>();

        var written = records.Update(id, TaskStatuses.Cancelled, new JsonObject { [TaskFields.Result] = "Rewritten by the runner.", [TaskFields.StatusReason] = "Interrupted" });

        Assert.Equal(TaskStatuses.Cancelled, written.Status);
        Assert.Equal("Rewritten by the runner.", (await RecordAsync(id))["fields"]!["result"]!.GetValue<string>());
    }

    public static TheoryData<string, JsonObject> CallerCreates() => new()
    {
        { "result", new JsonObject { ["fields"] = new JsonObject { ["goal"] = "g", ["result"] = "I made this up." } } },
        { "run_owner", new JsonObject { ["fields"] = new JsonObject { ["goal"] = "g", ["run_owner"] = "999999:1" } } },
        // A task made "completed" or "paused" by hand has no run behind it: only the runner says where a task is.
        { "status", new JsonObject { ["status"] = "completed", ["fields"] = new JsonObject { ["goal"] = "g" } } },
        { "status", new JsonObject { ["status"] = "paused", ["fields"] = new JsonObject { ["goal"] = "g" } } },
    };

    [Theory]
    [MemberData(nameof(CallerCreates))]
    public async Task CodexCreate_RunnerWrittenField_IsRefusedNamingIt_AndNothingCreated(string field, JsonObject draft)
    {
        draft["templateId"] = "task";
        draft["title"] = "Forged";

        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("codex/create", draft));

        Assert.Equal(ErrorCodes.InvalidParams, refused.Code);
        Assert.Contains($"{field}: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("the task writes it as it runs (Run, Interrupt and Resume run it)", refused.Message, StringComparison.Ordinal);
        Assert.Empty((await _world.Client.CallAsync("codex/list", new JsonObject { ["templateId"] = "task" }))!["items"]!.AsArray());
    }

    [Fact]
    public async Task CodexCreate_RunnerFieldsAbsentOrNull_IsAccepted()
    {
        var created = (await _world.Client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "task", ["title"] = "Planned", ["fields"] = new JsonObject { ["goal"] = "g", ["result"] = null },
        }))!;

        Assert.Null(created["fields"]!["result"]);
        Assert.Null(created["status"]);
    }

    [Fact]
    public async Task CodexUndo_OfTheRunnersWrite_IsRefusedSayingWhatToDo_AndNothingChanged()
    {
        var (id, before) = await FinishedTaskAsync();

        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("codex/undo", new JsonObject { ["id"] = id }));

        Assert.Equal(ErrorCodes.InvalidParams, refused.Code);
        Assert.Contains("status: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("the task writes it as it runs (Run, Interrupt and Resume run it)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Change the fields you mean in its settings instead", refused.Message, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(before, await RecordAsync(id)), "the refused undo left the record as it was");
    }

    [Fact]
    public async Task CodexUndo_OfACallersOwnChangeAfterTheRun_IsUndone()
    {
        var (id, before) = await FinishedTaskAsync();
        await _world.Client.CallAsync("codex/update", new JsonObject
        {
            ["id"] = id, ["version"] = before["version"]!.DeepClone(), ["fields"] = new JsonObject { ["max_turns"] = 7 },
        });

        var undone = (await _world.Client.CallAsync("codex/undo", new JsonObject { ["id"] = id }))!["record"]!;

        Assert.True(JsonNode.DeepEquals(before["fields"], undone["fields"]), undone.ToJsonString());
        Assert.Equal("completed", undone["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task CodexDelete_RunningTask_IsRefusedSayingToInterrupt_AndDeletedOnceInterrupted()
    {
        var slow = FakeOpenAIServer.Sse([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Working "), FakeOpenAIServer.Content("on it."),
            FakeOpenAIServer.Finish("stop"), FakeOpenAIServer.Done()]);
        slow = slow with { Steps = [slow.Steps[0], slow.Steps[1], .. slow.Steps.Skip(2).Select((s, i) => i == 0 ? s with { Delay = TimeSpan.FromSeconds(60) } : s)] };
        _world.Fake.Script("KIND-DEL", slow);
        var id = (await _world.StartTaskAsync("task", "KIND-DEL: answer", AgentWorld.Cheap))["id"]!.GetValue<string>();
        await _world.Client.WaitForAsync(n => n["method"]!.GetValue<string>() == "session/partDelta" && n["params"]!["sessionId"]!.GetValue<string>() == id);
        var before = await RecordAsync(id);

        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("codex/delete", new JsonObject { ["id"] = id }));

        Assert.Equal(ErrorCodes.InvalidParams, refused.Code);
        Assert.Contains("running", refused.Message, StringComparison.Ordinal);
        Assert.Contains("interrupt it (Interrupt, in its panel) before deleting", refused.Message, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(before, await RecordAsync(id)), "the refused delete left the task as it was");
        await _world.Client.CallAsync("task/interrupt", new JsonObject { ["id"] = id });
        await _world.WaitForStatusAsync(id, "cancelled");
        await _world.Client.CallAsync("codex/delete", new JsonObject { ["id"] = id });
        Assert.Empty((await _world.Client.CallAsync("codex/list", new JsonObject { ["templateId"] = "task" }))!["items"]!.AsArray());
    }

    /// <summary>A task the runner ran to its end (it wrote status, result and times), and its record as codex/get reads it.</summary>
    private async Task<(string Id, JsonNode Record)> FinishedTaskAsync()
    {
        _world.Fake.Script("KIND-1", FakeOpenAIServer.Final("Finished."));
        var id = (await _world.StartTaskAsync("task", "KIND-1: answer", AgentWorld.Cheap))["id"]!.GetValue<string>();
        var done = await _world.WaitForStatusAsync(id, "completed", "failed", "cancelled", "paused");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        return (id, await RecordAsync(id));
    }

    private async Task<JsonNode> RecordAsync(string id) => (await _world.Client.CallAsync("codex/get", new JsonObject { ["id"] = id }))!;
}
