using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using static Plue.Tests.Agents.AgentWorld;

namespace Plue.Tests.Agents;

/// <summary>
/// A task writing in the workspace is checkpointed as a chat is: each change its tools make is recorded under its
/// turn (the goal it was sent), so <c>checkpoint/list</c> shows it and it can be put back. (A task in a worktree changes
/// nothing of the workspace until its changes are applied, which is recorded then: WorktreeTasksTests.)
/// </summary>
public sealed class TaskCheckpointTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync() => _world = await AgentWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task ATaskWritingInTheWorkspace_IsCheckpointedUnderItsGoal()
    {
        _world.Fake.Enqueue(
            FakeOpenAIServer.ToolCalls(100, 10, ("call_w", "write", Args(("path", "out.txt"), ("content", "written by the task")))),
            FakeOpenAIServer.Final("Wrote out.txt."));

        var id = (await _world.StartTaskAsync("task-code-writer", "CHECK-1: write out.txt", Cheap))["id"]!.GetValue<string>();
        var done = await _world.WaitForStatusAsync(id, "completed", "failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal("written by the task", await File.ReadAllTextAsync(Path.Combine(_world.Workspace, "out.txt")));
        var list = (await _world.Client.CallAsync("checkpoint/list", new JsonObject { ["sessionId"] = id }))!;
        Assert.True(list["available"]!.GetValue<bool>());
        var checkpoint = Assert.Single(list["checkpoints"]!.AsArray())!;
        Assert.Equal("""[{"path":"out.txt","change":"added"}]""", checkpoint["files"]!.ToJsonString());
        var goal = (await _world.MessagesAsync(id)).First(m => m!["role"]!.GetValue<string>() == "user")!;
        Assert.Equal(goal["id"]!.GetValue<string>(), checkpoint["messageId"]!.GetValue<string>());
    }
}
