using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// A chat's cost tells the truth: a stopped reply was paid for (estimated, and marked so, never 0), a replaced reply's
/// money stays spent after an edit, and a fork does not count its source's spending a second time. Real sidecar,
/// loopback OpenAI, the catalog's gpt-5-mini prices ($0.25 in, $2 out per million).
/// </summary>
public sealed class CostTruthTests : IAsyncLifetime
{
    private const string Priced = "gpt-5-mini";
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync(modelId: Priced);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static IEnumerable<string> Reply(string text, int input, int output) =>
        [FakeOpenAIServer.Role(), FakeOpenAIServer.Content(text), FakeOpenAIServer.Finish("stop"), FakeOpenAIServer.Usage(input, output), FakeOpenAIServer.Done()];

    private static decimal Usd(int input, int output) => (input * 0.25m + output * 2m) / 1_000_000m;

    [Fact]
    public async Task StoppedReply_IsCostedFromWhatStreamed_MarkedAnEstimate_NeverZero()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("one ", "two ", "three ", "four ", "five ", "six "),
            TimeSpan.FromMilliseconds(150));
        var call = await _world.Rpc.SendAsync("session/send", _world.Send("Count to six, slowly, in words, please."));
        // Deltas read together go as one notification: "two " may arrive joined to its neighbours on a loaded machine.
        await _world.Rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/partDelta" && n["params"]!["delta"]!.GetValue<string>().Contains("two ", StringComparison.Ordinal));
        await _world.Rpc.CallAsync("session/cancel", new JsonObject { ["sessionId"] = _world.SessionId });
        var answer = (await _world.Rpc.ResultAsync(call))!;

        Assert.Equal("cancelled", answer["status"]!.GetValue<string>());
        var usage = answer["usage"]!;
        Assert.True(usage["estimated"]!.GetValue<bool>(), $"a stopped reply's usage is not marked estimated: {usage.ToJsonString()}");
        Assert.True(usage["input"]!.GetValue<long>() > 0 && usage["output"]!.GetValue<long>() > 0, $"a stopped reply counted no tokens: {usage.ToJsonString()}");
        Assert.True(answer["costUsd"]!.GetValue<decimal>() > 0, $"a stopped reply cost $0: {answer.ToJsonString()}");
        Assert.Equal("estimate", answer["costSource"]!.GetValue<string>());
        var step = answer["parts"]!.AsArray().Single(p => p!["kind"]!.GetValue<string>() == "step")!;
        Assert.Equal(("estimate", true), (step["costSource"]!.GetValue<string>(), step["usage"]!["estimated"]!.GetValue<bool>()));

        var session = await _world.SessionAsync();
        Assert.Equal(answer["costUsd"]!.GetValue<decimal>(), session["costUsd"]!.GetValue<decimal>());
        Assert.Contains("estimate", session["costSources"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task CutReply_IsEstimatedToo()
    {
        _world.Fake.Enqueue(FakeResponse.Stream("text/event-stream", [FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Half an answer, then the line dropped")]) with { Cut = true });

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("Explain")))!;

        Assert.Equal("error", answer["status"]!.GetValue<string>());
        Assert.Equal(("estimate", true), (answer["costSource"]!.GetValue<string>(), answer["usage"]!["estimated"]!.GetValue<bool>()));
        Assert.True(answer["costUsd"]!.GetValue<decimal>() > 0);
    }

    [Fact]
    public async Task Edit_KeepsTheReplacedReplysCost_InTheChatsTotal()
    {
        _world.Fake.EnqueueStream(Reply("A long first answer", 100_000, 10_000));
        _world.Fake.EnqueueStream(Reply("Short", 10_000, 1_000));
        await _world.Rpc.CallAsync("session/send", _world.Send("question"));
        var before = (await _world.SessionAsync())["costUsd"]!.GetValue<decimal>();
        var userId = (await _world.MessagesAsync())[0]!["id"]!.GetValue<string>();

        await _world.Rpc.CallAsync("session/editAndResend", new JsonObject { ["sessionId"] = _world.SessionId, ["messageId"] = userId, ["text"] = "better question" });

        var after = await _world.SessionAsync();
        Assert.Equal(Usd(100_000, 10_000), before);
        Assert.Equal(Usd(100_000, 10_000) + Usd(10_000, 1_000), after["costUsd"]!.GetValue<decimal>());
        Assert.Equal(110_000, after["usage"]!["input"]!.GetValue<long>());
        Assert.Equal(2, after["messageCount"]!.GetValue<int>()); // the transcript shows the current thread only
        Assert.Equal(10_000, after["contextTokens"]!.GetValue<long>()); // and its context is the current thread's
        Assert.Equal(["catalog"], after["costSources"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task Fork_StartsAtZeroSpent_WhileItsCopiedRepliesKeepTheirOwnCost()
    {
        _world.Fake.EnqueueStream(Reply("An answer", 100_000, 10_000));
        _world.Fake.EnqueueStream(Reply("In the fork", 20_000, 2_000));
        await _world.Rpc.CallAsync("session/send", _world.Send("question"));
        var answerId = (await _world.MessagesAsync())[1]!["id"]!.GetValue<string>();

        var fork = (await _world.Rpc.CallAsync("session/fork", new JsonObject { ["sessionId"] = _world.SessionId, ["messageId"] = answerId }))!;
        var forkId = fork["id"]!.GetValue<string>();

        Assert.Equal(0m, fork["costUsd"]!.GetValue<decimal>());
        Assert.Equal(0, fork["usage"]!["output"]!.GetValue<long>());
        Assert.Equal(100_000, fork["contextTokens"]!.GetValue<long>()); // the copied conversation still fills its context
        var copied = (await _world.MessagesAsync(forkId))[1]!;
        Assert.Equal(Usd(100_000, 10_000), copied["costUsd"]!.GetValue<decimal>()); // what that reply cost, where it was paid
        Assert.Equal(Usd(100_000, 10_000), (await _world.SessionAsync())["costUsd"]!.GetValue<decimal>()); // the source keeps its spending

        await _world.Rpc.CallAsync("session/send", _world.Send("go on", forkId));
        Assert.Equal(Usd(20_000, 2_000), (await _world.SessionAsync(forkId))["costUsd"]!.GetValue<decimal>());
    }
}
