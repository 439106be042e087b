using System.Text.Json.Nodes;
using Plue.Tests.Fakes;

namespace Plue.Tests.Sessions;

/// <summary>
/// A chat driven past its share of a small context window compacts once: a summary holding the goal, the system prompt
/// and the workspace's AGENTS.md lines verbatim replaces the earlier messages in the next request, every message stays pageable, and
/// <c>session/compact</c> does it on demand.
/// </summary>
public sealed class CompactionTests : IAsyncLifetime
{
    private const string Goal = "GOAL: port the parser to Rust, keeping every test green.";
    private const string Rule = "Never touch the tests folder without asking.";
    private const string AgentsLine = "Name each Rust error type after the C# exception it replaces.";
    private ChatWorld _world = null!;
    private string _chat = "";

    public async Task InitializeAsync()
    {
        _world = await ChatWorld.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(_world.Workspace, "AGENTS.md"), "# Porting\n\n" + AgentsLine + "\n");
        // A local server holding 2,000 tokens: the chat compacts before a turn would pass 1,700 (85%).
        var small = (await _world.Rpc.CallAsync("instances/create", new JsonObject
        {
            ["displayName"] = "Small box", ["catalogProviderId"] = "openai", ["endpoint"] = _world.Fake.Endpoint, ["apiKey"] = ChatWorld.Key, ["contextWindow"] = 2000,
        }))!;
        var request = new JsonObject { ["instanceId"] = small["id"]!.GetValue<string>(), ["modelId"] = "gpt-test", ["allowUnlisted"] = true, ["title"] = "Port", ["systemPrompt"] = "You port code.\n" + Rule };
        _chat = (await _world.Rpc.CallAsync("session/create", request))!["id"]!.GetValue<string>();
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static string Long(int n) => $"PART-{n}: " + string.Concat(Enumerable.Repeat($"the lexer of part {n} reads tokens. ", 80));

    private async Task<JsonNode> SendAsync(string text, params string[] replies)
    {
        foreach (var reply in replies) _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply(reply));
        return (await _world.Rpc.CallAsync("session/send", _world.Send(text, _chat)))!;
    }

    private static JsonArray Sent(RecordedRequest request) => request.Json["messages"]!.AsArray();

    [Fact]
    public async Task AChatPastItsWindow_CompactsOnce_TheNextRequestCarriesTheGoalAndTheAgentsMdLine_AndTheWholeHistoryIsPageable()
    {
        await SendAsync(Goal, "Starting.");
        await SendAsync(Long(1), "Part 1 done.");
        await SendAsync(Long(2), "Part 2 done.");
        Assert.Equal(3, _world.Fake.Requests.Count); // no compaction yet: about 1,600 tokens with the next message

        await SendAsync(Long(3), "NOTES: parts 1 and 2 ported; the error type is still undecided.", "Part 3 done.");

        Assert.Equal(5, _world.Fake.Requests.Count); // the summary's call, then the turn's
        var summarising = Sent(_world.Fake.Requests[3]);
        Assert.Contains("PART-2", summarising.ToJsonString()); // the summariser read the conversation
        var turn = Sent(_world.Fake.Requests[4]);
        var summary = turn.First(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.GetValue<string>();
        Assert.Contains(Goal, summary);
        Assert.Contains(Rule, summary);
        Assert.Contains(AgentsLine, summary); // in the summary itself, not only in the system prompt sent beside it
        Assert.Contains("NOTES: parts 1 and 2 ported", summary);
        Assert.DoesNotContain("PART-2", turn.ToJsonString()); // the messages it stands for are not sent again
        Assert.Contains("PART-3", turn.Last()!["content"]!.GetValue<string>());

        // The next turn sends the summary and what follows; it does not compact again.
        await SendAsync("And part 4?", "Part 4 next.");
        Assert.Equal(6, _world.Fake.Requests.Count);
        var next = Sent(_world.Fake.Requests[5]);
        var kept = next.First(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.GetValue<string>();
        Assert.Contains(Goal, kept);
        Assert.Contains(AgentsLine, kept);

        // Every message stays in the store, a page at a time: 5 questions, 5 answers and the summary.
        var latest = (await _world.Rpc.CallAsync("session/messages", new JsonObject { ["id"] = _chat, ["limit"] = 6 }))!;
        Assert.True(latest["hasMore"]!.GetValue<bool>());
        var earlier = (await _world.Rpc.CallAsync("session/messages", new JsonObject { ["id"] = _chat, ["limit"] = 6, ["beforeSeq"] = latest["messages"]![0]!["seq"]!.GetValue<int>() }))!;
        var all = earlier["messages"]!.AsArray().Concat(latest["messages"]!.AsArray()).ToList();
        Assert.Equal(11, all.Count);
        Assert.Equal(Goal, all[0]!["parts"]![0]!["text"]!.GetValue<string>());
        var summaries = all.Where(m => m!["parts"]!.AsArray().Any(p => p!["kind"]!.GetValue<string>() == "summary")).ToList();
        var part = Assert.Single(summaries)!["parts"]![0]!;
        Assert.Equal(6, part["messages"]!.GetValue<int>());
        Assert.Contains(Goal, part["text"]!.GetValue<string>());
        Assert.Contains(AgentsLine, part["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task AForkFromBeforeTheSummary_CarriesTheWholeHistoryUpToThere_NotTheSummary()
    {
        await SendAsync(Goal, "Starting.");
        await SendAsync(Long(1), "Part 1 done.");
        await SendAsync(Long(2), "Part 2 done.");
        await SendAsync(Long(3), "NOTES: parts 1 and 2 ported.", "Part 3 done.");
        Assert.Equal(5, _world.Fake.Requests.Count); // compacted before part 3
        var beforeSummary = (await _world.MessagesAsync(_chat)).First(m => m!["parts"]![0]!["text"]?.GetValue<string>() == "Part 1 done.")!;

        var fork = (await _world.Rpc.CallAsync("session/fork", new JsonObject { ["sessionId"] = _chat, ["messageId"] = beforeSummary["id"]!.GetValue<string>() }))!;
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("It read tokens."));
        await _world.Rpc.CallAsync("session/send", _world.Send("What did part 1 do?", fork["id"]!.GetValue<string>()));

        var sent = Sent(_world.Fake.Requests[5]).ToJsonString();
        Assert.Contains(Goal, sent);
        Assert.Contains("PART-1", sent); // the message itself, which the summary stood for in the original chat
        Assert.DoesNotContain("This conversation was compacted", sent);
        Assert.DoesNotContain("PART-2", sent);
    }

    [Fact]
    public async Task WhenTheAutomaticSummaryFails_TheTurnGoesOnWithTheWholeConversation_AndNothingIsCompacted()
    {
        await SendAsync(Goal, "Starting.");
        await SendAsync(Long(1), "Part 1 done.");
        await SendAsync(Long(2), "Part 2 done.");
        _world.Fake.Enqueue(FakeResponse.Json(400, FakeOpenAIServer.ErrorBody("This request cannot be summarised", "invalid_request_error")));

        var answer = await SendAsync(Long(3), "Part 3 done.");

        Assert.Equal("complete", answer["status"]!.GetValue<string>());
        Assert.Equal(5, _world.Fake.Requests.Count); // the failed summary's call, then the turn's
        var turn = Sent(_world.Fake.Requests[4]).ToJsonString();
        Assert.Contains("PART-1", turn);
        Assert.Contains("PART-2", turn);
        var messages = await _world.MessagesAsync(_chat);
        Assert.Equal(8, messages.Count);
        Assert.DoesNotContain(messages, m => m!["parts"]!.AsArray().Any(p => p!["kind"]!.GetValue<string>() == "summary"));
    }

    [Fact]
    public async Task CompactOnDemand_KeepsTheFocusAndTheAgentsMdLine_AndWithNothingToCompact_IsRefused()
    {
        var refused = await Assert.ThrowsAsync<Support.RpcCallException>(() => _world.Rpc.CallAsync("session/compact", new JsonObject { ["sessionId"] = _chat }));
        Assert.Equal(-32602, refused.Code);
        Assert.Contains("nothing to compact", refused.Message);

        await SendAsync(Goal, "Starting.");
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("NOTES: just started."));
        var compacted = (await _world.Rpc.CallAsync("session/compact", new JsonObject { ["sessionId"] = _chat, ["focus"] = "the error type" }))!;

        var part = compacted["parts"]![0]!;
        Assert.Equal("summary", part["kind"]!.GetValue<string>());
        Assert.Equal("the error type", part["focus"]!.GetValue<string>());
        Assert.Contains("Focus on: the error type", Sent(_world.Fake.Requests.Last()).Last()!["content"]!.GetValue<string>());
        Assert.Contains(Goal, part["text"]!.GetValue<string>());
        Assert.Contains(AgentsLine, part["text"]!.GetValue<string>());
        Assert.Equal("compacted", compacted["parts"]![1]!["finishReason"]!.GetValue<string>());
    }
}
