using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Providers;
using Plue.Instances;
using Plue.Protocol;
using Plue.Tests.Fakes;
using Plue.Tests.Sessions;
using Plue.Transcripts;

namespace Plue.Tests.Transcripts;

/// <summary>
/// How an answer streamed from a model ends up stored when the stream does not end well: cut, failed, cancelled; and
/// what else a stream carries (tool calls). Chats over the real sidecar and a loopback OpenAI server.
/// </summary>
public sealed class AnswerStreamTests : IAsyncLifetime
{
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task StreamCutMidAnswer_KeepsTheText_AndMarksTheMessageAnError()
    {
        _world.Fake.Enqueue(new FakeResponse
        {
            ContentType = "text/event-stream",
            Steps = [.. _world.Fake.Wrap([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Half of "), FakeOpenAIServer.Content("an answer")]).Select(f => new FakeStep(f))],
            Cut = true,
        });

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("Tell me everything")))!;

        Assert.Equal("error", answer["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(answer["error"]!.GetValue<string>()));
        var stored = (await _world.MessagesAsync())[1]!;
        Assert.Equal(("error", answer["error"]!.GetValue<string>()), (stored["status"]!.GetValue<string>(), stored["error"]!.GetValue<string>()));
        Assert.Equal("Half of an answer", stored["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("error", stored["parts"]![1]!["finishReason"]!.GetValue<string>());
        Assert.Equal("idle", (await _world.SessionAsync())["status"]!.GetValue<string>());

        // The cut answer is part of what the next turn sends: the model sees what the user saw.
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Again, in full."));
        await _world.Rpc.CallAsync("session/send", _world.Send("Go on"));
        Assert.Contains("Half of an answer", _world.Fake.Requests[1].Json!["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task ErrorReportedMidStream_IsStoredOnTheMessage_AfterTheTextThatCameFirst()
    {
        _world.Fake.EnqueueStream([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Partial"), FakeOpenAIServer.ErrorFrame("The server had an error while processing your request.")]);

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("hi")))!;

        Assert.Equal("error", answer["status"]!.GetValue<string>());
        Assert.Contains("server had an error", answer["error"]!.GetValue<string>());
        Assert.Equal("Partial", answer["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(answer.ToJsonString(), (await _world.MessagesAsync())[1]!.ToJsonString());
    }

    [Fact]
    public async Task CancelWhileTheServerHoldsTheStreamOpen_EndsTheMessageCancelled_WithItsTextAndAStep()
    {
        _world.Fake.Enqueue(new FakeResponse
        {
            ContentType = "text/event-stream",
            Steps = [.. _world.Fake.Wrap([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Thinking it over")]).Select(f => new FakeStep(f))],
            HoldOpen = true,
        });
        var call = await _world.Rpc.SendAsync("session/send", _world.Send("Take your time"));
        await _world.Rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/partDelta");

        Assert.True((await _world.Rpc.CallAsync("session/cancel", new JsonObject { ["sessionId"] = _world.SessionId }))!["cancelled"]!.GetValue<bool>());
        var answer = (await _world.Rpc.ResultAsync(call))!;

        Assert.Equal("cancelled", answer["status"]!.GetValue<string>());
        Assert.Null(answer["error"]);
        Assert.Equal("Thinking it over", answer["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("cancelled", answer["parts"]![1]!["finishReason"]!.GetValue<string>());
        Assert.False((await _world.Rpc.CallAsync("session/cancel", new JsonObject { ["sessionId"] = _world.SessionId }))!["cancelled"]!.GetValue<bool>());
        await _world.Fake.Http.WaitForDisconnectAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ToolCallsInTheStream_AreStoredAsRunningToolUses_WithTheirInput_BetweenTheTexts()
    {
        _world.Fake.EnqueueStream([
            FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Let me look."),
            FakeOpenAIServer.WholeToolCalls(("call_1", "read_file", """{"path":"a.md"}""")),
            FakeOpenAIServer.Finish("tool_calls"), FakeOpenAIServer.Usage(20, 5), FakeOpenAIServer.Done(),
        ]);
        // A chat outside any mode runs no tools: the call the model made up stays as it streamed.
        var record = (await _world.Rpc.CallAsync("codex/get", new JsonObject { ["id"] = _world.SessionId }))!;
        await _world.Rpc.CallAsync("codex/update", new JsonObject { ["id"] = _world.SessionId, ["version"] = record["version"]!.GetValue<long>(), ["fields"] = new JsonObject { ["mode"] = null } });

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("Read a.md")))!;

        var parts = answer["parts"]!.AsArray();
        Assert.Equal(["text", "tool_use", "step"], parts.Select(p => p!["kind"]!.GetValue<string>()));
        Assert.Equal(("call_1", "read_file", "running", "a.md"),
            (parts[1]!["toolCallId"]!.GetValue<string>(), parts[1]!["name"]!.GetValue<string>(), parts[1]!["state"]!.GetValue<string>(), parts[1]!["input"]!["path"]!.GetValue<string>()));
        Assert.Equal("tool_calls", parts[2]!["finishReason"]!.GetValue<string>());
        Assert.Equal(answer.ToJsonString(), (await _world.MessagesAsync())[1]!.ToJsonString());
    }

    [Fact]
    public async Task ABackendThatReportsAnErrorInTheStream_EndsTheMessageAnError_KeepingTextAndUsage()
    {
        var connection = new ProviderConnection { InstanceId = "scripted", ProviderType = "openai", CatalogProviderId = "openai" };
        var turns = _world.Service<TranscriptTurns>();
        var answer = turns.StartAnswer("scripted-chat", connection, "gpt-4o");
        var backend = new ScriptedBackend([
            new ChatResponseUpdate(ChatRole.Assistant, "Almost"),
            new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 0 })]) { ModelId = "gpt-4o-2024-08-06" },
            new ChatResponseUpdate(ChatRole.Assistant, [new ErrorContent("The model refused to go on")]),
        ]);

        var final = await turns.StreamAnswerAsync(answer, connection, backend, [new(ChatRole.User, "hi")], new ChatOptions(), CancellationToken.None);

        Assert.Equal((MessageStatus.Error, "The model refused to go on"), (final.Status, final.Error));
        Assert.Equal("Almost", Assert.IsType<TextPart>(final.Parts[0]).Text);
        // Priced by the catalog (gpt-4o input: $2.50 per million), under the model the backend named.
        Assert.Equal((1_000_000L, 2.5m, "gpt-4o-2024-08-06"), (final.Usage!.Input, final.CostUsd!.Value, final.ModelId));
        Assert.Equal("error", Assert.IsType<StepPart>(final.Parts[1]).FinishReason);
    }

    [Fact]
    public async Task DeltasReadTogether_ReachTheClientInFewerNotifications_WithNothingLostOrReordered()
    {
        var connection = new ProviderConnection { InstanceId = "scripted", ProviderType = "openai", CatalogProviderId = "openai" };
        var turns = _world.Service<TranscriptTurns>();
        var answer = turns.StartAnswer("scripted-chat", connection, "gpt-4o");
        var words = Enumerable.Range(0, 100).Select(i => $"w{i} ").ToList();
        // Every update is there at once, as when a fast provider's chunks arrive in one read.
        var backend = new ScriptedBackend([.. words.Select(w => new ChatResponseUpdate(ChatRole.Assistant, w))], paced: false);

        var final = await turns.StreamAnswerAsync(answer, connection, backend, [new(ChatRole.User, "hi")], new ChatOptions(), CancellationToken.None);
        await _world.Rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/messageUpdated" && n["params"]!["message"]!["id"]!.GetValue<string>() == final.Id);

        var deltas = _world.Rpc.Notifications
            .Where(n => n["method"]!.GetValue<string>() == "session/partDelta" && n["params"]!["messageId"]!.GetValue<string>() == final.Id)
            .Select(n => n["params"]!["delta"]!.GetValue<string>()).ToList();
        Assert.Equal(string.Concat(words), string.Concat(deltas));
        Assert.Equal(string.Concat(words), Assert.IsType<TextPart>(final.Parts[0]).Text);
        Assert.InRange(deltas.Count, 1, words.Count - 1);
    }

    [Theory]
    [InlineData(0, "b", "")] // the part is full: the next delta adds nothing
    [InlineData(1, "\U0001F600 more", "")] // the limit falls inside a surrogate pair: the pair is left out whole
    [InlineData(2, "bcde", "bc")] // the delta is cut at the limit
    public async Task APartGrowingPastTheLimit_StopsTheAnswerAnError_KeepingTheTextUpToTheLimit(int shortOfLimit, string next, string keptOfNext)
    {
        var first = new string('a', StreamLimits.MaxPartChars - shortOfLimit);
        _world.Fake.EnqueueStream([FakeOpenAIServer.Role(), FakeOpenAIServer.Content(first), FakeOpenAIServer.Content(next), FakeOpenAIServer.Content("never read"),
            FakeOpenAIServer.Finish("stop"), FakeOpenAIServer.Done()]);

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("Write forever")))!;

        Assert.Equal("error", answer["status"]!.GetValue<string>());
        Assert.Contains("grew past 4 Mi characters", answer["error"]!.GetValue<string>());
        var text = Assert.IsType<TextPart>(_world.Service<MessageStore>().Message(answer["id"]!.GetValue<string>())!.Parts[0]).Text!;
        Assert.Equal(first.Length + keptOfNext.Length, text.Length);
        Assert.Equal(first + keptOfNext, text);
    }

    [Fact]
    public async Task ToolResultsOfABackendThatRunsItsOwnTools_SetTheirCallsState_FailedRefusedOrDone_AndAResultWithoutACallIsKept()
    {
        var connection = new ProviderConnection { InstanceId = "scripted", ProviderType = "openai", CatalogProviderId = "openai" };
        var turns = _world.Service<TranscriptTurns>();
        var answer = turns.StartAnswer("scripted-chat", connection, "gpt-4o");
        var backend = new ScriptedBackend([
            new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c1", "bash"), new FunctionCallContent("c2", "write", new Dictionary<string, object?> { ["path"] = "a.txt" }), new FunctionCallContent("c3", "read")]),
            new ChatResponseUpdate(ChatRole.Assistant, [new FunctionResultContent("c1", null) { Exception = new InvalidOperationException("exit 1") }]),
            new ChatResponseUpdate(ChatRole.Assistant, [new FunctionResultContent("c2", "not allowed") { AdditionalProperties = new() { ["plue.denied"] = true } }]),
            new ChatResponseUpdate(ChatRole.Assistant, [new FunctionResultContent("c3", "text of b.txt") { AdditionalProperties = new() { ["isError"] = false } }]),
            new ChatResponseUpdate(ChatRole.Assistant, [new FunctionResultContent("c9", "from a call never streamed") { AdditionalProperties = new() { ["isError"] = true } }]),
            new ChatResponseUpdate(ChatRole.Assistant, "Done."),
        ]);

        var final = await turns.StreamAnswerAsync(answer, connection, backend, [new(ChatRole.User, "go")], new ChatOptions(), CancellationToken.None);

        Assert.Equal(MessageStatus.Complete, final.Status);
        var uses = final.Parts.OfType<ToolUsePart>().ToList();
        Assert.Equal([ToolState.Error, ToolState.Denied, ToolState.Completed], uses.Select(u => u.State!.Value));
        Assert.Null(uses[0].Input);
        Assert.Equal("a.txt", uses[1].Input!["path"]!.GetValue<string>());
        var results = final.Parts.OfType<ToolResultPart>().ToList();
        Assert.Equal(new (string?, string?, bool)[] { ("c1", null, true), ("c2", "not allowed", true), ("c3", "text of b.txt", false), ("c9", "from a call never streamed", true) },
            results.Select(r => (r.ToolCallId, r.Output, r.IsError!.Value)));
        Assert.Equal("Done.", final.Parts.OfType<TextPart>().Single().Text);
    }

    /// <summary>A backend that streams these updates, as M.E.AI lets any backend do; what no HTTP fake can send (ErrorContent).</summary>
    /// <param name="paced">Whether each update comes after a pause (a yield), or all are there at once.</param>
    private sealed class ScriptedBackend(IReadOnlyList<ChatResponseUpdate> updates, bool paced = true) : IChatClient
    {
        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var update in updates)
            {
                if (paced) await Task.Yield();
                yield return update;
            }
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The transcript streams");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
