using System.Text;
using System.Text.Json.Nodes;
using Plue.Cli;
using Plue.Tests.Cli;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using static Plue.Tests.Agents.AgentWorld;

namespace Plue.Tests.Agents;

/// <summary>
/// Grants that cannot widen: a sub-task's <c>auto_approve</c> is narrowed by its ancestors' at every run, not only when
/// it is made; a host rule allows a command to one host only, a user-wide grant holds in every workspace, and
/// <c>plue approvals replay</c> shows both; a path glob that would be costly to match is refused where it is written.
/// </summary>
public sealed class GrantsThatCannotWidenTests : IAsyncLifetime
{
    private AgentWorld _world = null!;

    public async Task InitializeAsync() => _world = await AgentWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static FakeResponse Bash(string id, string command) => FakeOpenAIServer.ToolCalls(100, 10, (id, "bash", Args(("command", command))));

    [Fact]
    public async Task SubTask_EditedAfterCreationToWidenAutoApprove_StillAsks()
    {
        _world.Fake.Script("PARENT-1", FakeOpenAIServer.Final("Parent done."));
        var parent = await _world.StartTaskAsync("task", "PARENT-1: plan", Strong, new JsonObject { ["available_tools"] = new JsonArray("bash") });
        await _world.WaitForStatusAsync(parent["id"]!.GetValue<string>(), "completed");
        // The child's first run fails at once, so its record can be edited before the run that counts.
        _world.Fake.Script("CHILD-1", FakeResponse.Json(500, FakeOpenAIServer.ErrorBody("down for a moment", "server_error")));
        var child = (await _world.Client.CallAsync("task/start", new JsonObject
        {
            ["templateId"] = "task", ["prompt"] = "CHILD-1: run a command", ["providerRef"] = _world.ProviderRef, ["modelId"] = Strong,
            ["parentId"] = parent["id"]!.GetValue<string>(),
            ["fields"] = new JsonObject { ["available_tools"] = new JsonArray("bash"), ["auto_approve"] = new JsonArray("bash") },
        }))!;
        var childId = child["id"]!.GetValue<string>();
        await _world.WaitForStatusAsync(childId, "failed");
        var record = (await _world.Client.CallAsync("codex/get", new JsonObject { ["id"] = childId }))!;
        Assert.Empty(record["fields"]!["auto_approve"]!.AsArray());

        await _world.Client.CallAsync("codex/update", new JsonObject
        {
            ["id"] = childId, ["version"] = record["version"]!.GetValue<long>(), ["fields"] = new JsonObject { ["auto_approve"] = new JsonArray("bash") },
        });
        _world.Fake.Script("CHILD-1", Bash("call_1", "echo widened"), FakeOpenAIServer.Final("Ran it."));
        var since = await _world.ResumeAsync(new JsonObject { ["id"] = childId });
        var done = await _world.WaitForStatusAsync(childId, since, "completed", "failed");

        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var asked = Assert.Single(_world.Approvals);
        Assert.Equal(("bash", childId), (asked["tool"]!.GetValue<string>(), asked["taskId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task HostRule_AllowsCurlToOneLoopbackHost_AndAsksForAnother_AndReplayShowsItUserWide()
    {
        const string allowed = "127.0.0.1:47811", other = "127.0.0.1:47812";
        await _world.Client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "tool-grant", ["title"] = "curl to the loopback",
            ["fields"] = new JsonObject { ["scope"] = "everywhere", ["tool"] = "bash", ["command_prefix"] = "curl", ["host"] = allowed },
        });
        _world.Decide = _ => new JsonObject { ["decision"] = "deny" };
        _world.Fake.Script("HOST-1",
            Bash("call_1", $"curl -s http://{allowed}/ok"),
            Bash("call_2", $"curl -s http://{other}/ok"),
            FakeOpenAIServer.Final("Tried both."));

        var task = await _world.StartTaskAsync("task", "HOST-1: reach two hosts", Strong, new JsonObject { ["available_tools"] = new JsonArray("bash") });
        var id = task["id"]!.GetValue<string>();
        await _world.WaitForStatusAsync(id, "completed");

        var asked = Assert.Single(_world.Approvals);
        Assert.Contains(other, asked["input"]!["command"]!.GetValue<string>());
        var replay = (await _world.Client.CallAsync("approvals/replay", new JsonObject { ["id"] = id }))!;
        var rule = Assert.Single(replay["rules"]!.AsArray());
        Assert.Equal(("everywhere", allowed, "bash `curl` to " + allowed), (rule!["source"]!.GetValue<string>(), rule["host"]!.GetValue<string>(), rule["what"]!.GetValue<string>()));
        Assert.Equal(["allowed by grant: bash `curl` to 127.0.0.1:47811 everywhere", "would have asked"],
            replay["calls"]!.AsArray().Select(c => c!["words"]!.GetValue<string>()));

        var printed = await PlueAsync("approvals", "replay", id, "--trust");
        Assert.True(printed.Code == 0, printed.ToString());
        Assert.Contains("rule: allow bash `curl` to 127.0.0.1:47811 (everywhere)", printed.Stdout);
        Assert.Contains($"1. bash curl -s http://{allowed}/ok: allowed by grant: bash `curl` to {allowed} everywhere", printed.Stdout);
        Assert.Contains($"2. bash curl -s http://{other}/ok: would have asked", printed.Stdout);
    }

    [Fact]
    public async Task PathGlob_OfSixtyDoubleStars_IsRefusedWhenWritten_WithAClearMessage()
    {
        var glob = string.Concat(Enumerable.Repeat("**/", 60)) + "x";

        var refused = await Assert.ThrowsAsync<RpcCallException>(() => _world.Client.CallAsync("codex/create", new JsonObject
        {
            ["templateId"] = "tool-grant", ["title"] = "deep writes",
            ["fields"] = new JsonObject { ["scope"] = "workspace", ["folders"] = new JsonArray(_world.Workspace), ["tool"] = "write", ["path_glob"] = glob },
        }));

        Assert.Contains("has 60 '**'; a path glob may hold at most 4", refused.Message);
        Assert.Empty((await _world.Client.CallAsync("permissions/list", new JsonObject()))!["grants"]!.AsArray());
    }

    /// <summary><c>plue ARGS</c> on the world's home and workspace, in this process, as a user runs it.</summary>
    private async Task<CliResult> PlueAsync(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stdin = new MemoryStream();
        var stderr = new StringWriter();
        var error = TextWriter.Synchronized(stderr);
        var terminal = new CliTerminal(stdout, error, stdin, false);
        var code = await CliApp.Build(terminal, _world.Workspace).Parse([.. args, "--home", _world.Home])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = terminal.Out, Error = error, ProcessTerminationTimeout = null });
        return new CliResult(code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
