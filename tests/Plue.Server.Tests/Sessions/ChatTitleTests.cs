using System.Text.Json.Nodes;
using Plue.Protocol;
using Plue.Sessions;
using Plue.Tests.Fakes;
using Plue.Transcripts;

namespace Plue.Tests.Sessions;

/// <summary>A chat's title summarised from its first exchange by its own model, and what keeps the first question instead.</summary>
public sealed class ChatTitleTests : IAsyncLifetime
{
    /// <summary>A model the shipped catalog prices, so its title call is cheap and counted.</summary>
    private const string PricedModel = "gpt-5.6-luna";
    private const string Question = "How should I parse arithmetic expressions in C#?\nWith precedence, please.";
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync(title: null, modelId: PricedModel);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task FirstAnswer_AsksTheChatsModelForAShortTitle_WithoutTools_AndTheChatIsRenamedLive_ItsCostCounted()
    {
        // Each reply reports 12 prompt tokens and a completion token per delta.
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Use a Pratt ", "parser."));
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("\"Parsing arithmetic with a Pratt parser in C#.\""));

        await _world.Rpc.CallAsync("session/send", _world.Send(Question));
        var renamed = await _world.Rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/updated"
            && n["params"]!["session"]!["title"]!.GetValue<string>() != "How should I parse arithmetic expressions in C#?");

        Assert.Equal("Parsing arithmetic with a Pratt parser", renamed["params"]!["session"]!["title"]!.GetValue<string>());
        Assert.Equal(2, _world.Fake.Requests.Count);
        var title = _world.Fake.Requests[1].Json!;
        Assert.Equal(PricedModel, title["model"]!.GetValue<string>());
        Assert.Null(title["tools"]);
        Assert.Equal(24, (title["max_completion_tokens"] ?? title["max_tokens"])!.GetValue<int>());
        var asked = title["messages"]!.ToJsonString();
        Assert.Contains("parse arithmetic expressions", asked);
        Assert.Contains("Use a Pratt parser.", asked);
        Assert.Contains("at most six words", asked);

        var session = await _world.SessionAsync();
        Assert.Equal("Parsing arithmetic with a Pratt parser", session["title"]!.GetValue<string>());
        Assert.Equal(2, session["messageCount"]!.GetValue<int>());
        Assert.Equal(["user", "assistant"], (await _world.MessagesAsync()).Select(m => m!["role"]!.GetValue<string>()));
        // Both calls are paid in this chat: luna at $1 in / $6 out per million tokens.
        Assert.Equal(24, session["usage"]!["input"]!.GetValue<long>());
        Assert.Equal(3, session["usage"]!["output"]!.GetValue<long>());
        Assert.Equal((24m * 1m + 3m * 6m) / 1_000_000m, session["costUsd"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task AChatTheUserRenamed_KeepsItsName_AndNoTitleIsAsked()
    {
        // The answer is held until the user has renamed the chat, so the title call after it finds the rename too
        // (renamed after the answer, the automatic call races the count below).
        var renamed = new TaskCompletionSource();
        _world.Fake.Enqueue(new FakeResponse
        {
            ContentType = "text/event-stream",
            Steps = [new FakeStep("") { WaitFor = renamed.Task }, .. _world.Fake.Wrap(FakeOpenAIServer.TextReply("Use a Pratt parser.")).Select(f => new FakeStep(f))],
        });
        var sending = _world.Rpc.CallAsync("session/send", _world.Send(Question));
        while (_world.Fake.Requests.Count < 1) await Task.Delay(20);
        // session/send is answered when the turn ends: the rename goes to the store the endpoint writes through.
        var provisional = _world.Service<SessionService>().Record(_world.SessionId).Title;
        _world.Service<SessionService>().Rename(_world.SessionId, "My parser notes");
        renamed.SetResult();
        await sending;

        await _world.Service<ChatTitles>().SummariseAsync(_world.SessionId, provisional, CancellationToken.None);

        Assert.Equal("My parser notes", (await _world.SessionAsync())["title"]!.GetValue<string>());
        Assert.Single(_world.Fake.Requests);
    }

    [Fact]
    public async Task ARenameDuringTheTitleCall_Wins()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Use a Pratt parser."));
        await _world.Rpc.CallAsync("session/send", _world.Send(Question));
        var provisional = (await _world.SessionAsync())["title"]!.GetValue<string>();
        // The title's answer is held until the user has renamed the chat.
        var renamed = new TaskCompletionSource();
        _world.Fake.Enqueue(new FakeResponse
        {
            ContentType = "text/event-stream",
            Steps = [new FakeStep("") { WaitFor = renamed.Task }, .. _world.Fake.Wrap(FakeOpenAIServer.TextReply("Pratt parsing")).Select(f => new FakeStep(f))],
        });

        var summarising = _world.Service<ChatTitles>().SummariseAsync(_world.SessionId, provisional, CancellationToken.None);
        while (_world.Fake.Requests.Count < 2) await Task.Delay(20);
        await _world.Rpc.CallAsync("session/rename", new JsonObject { ["id"] = _world.SessionId, ["title"] = "Mine" });
        renamed.SetResult();
        await summarising;

        Assert.Equal("Mine", (await _world.SessionAsync())["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task WhenTheTitleCallFails_TheFirstQuestionStaysTheTitle()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Use a Pratt parser."));
        await _world.Rpc.CallAsync("session/send", _world.Send(Question));
        var provisional = (await _world.SessionAsync())["title"]!.GetValue<string>();

        // Nothing scripted: the fake answers the title call 500.
        await _world.Service<ChatTitles>().SummariseAsync(_world.SessionId, provisional, CancellationToken.None);

        Assert.Equal("How should I parse arithmetic expressions in C#?", (await _world.SessionAsync())["title"]!.GetValue<string>());
        Assert.Equal(2, (await _world.SessionAsync())["messageCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnUnpricedModel_IsNotAsked_TheFirstQuestionIsTheTitle()
    {
        var unpriced = await _world.CreateChatAsync(title: null, modelId: "gpt-test");
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Sure."));
        await _world.Rpc.CallAsync("session/send", _world.Send(Question, unpriced));

        await _world.Service<ChatTitles>().SummariseAsync(unpriced, "How should I parse arithmetic expressions in C#?", CancellationToken.None);

        Assert.Single(_world.Fake.Requests);
        Assert.Equal("How should I parse arithmetic expressions in C#?", (await _world.SessionAsync(unpriced))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task ATitleCallThatWritesNoTitleAndReportsNoUsage_KeepsTheQuestion_CountsItsCostAsUnknown_AndIsNotAskedTwice()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Use a Pratt parser."));
        _world.Fake.EnqueueStream([FakeOpenAIServer.Role(), FakeOpenAIServer.Content(" \"\" "), FakeOpenAIServer.Finish("stop"), FakeOpenAIServer.Done()]);
        var store = _world.Service<MessageStore>();

        await _world.Rpc.CallAsync("session/send", _world.Send(Question));
        // The title call runs after the answer, in the background: its record is the chat's third message, hidden.
        while (store.Messages(_world.SessionId, includeSuperseded: true).Count < 3) await Task.Delay(20);
        var provisional = (await _world.SessionAsync())["title"]!.GetValue<string>();
        await _world.Service<ChatTitles>().SummariseAsync(_world.SessionId, provisional, CancellationToken.None);

        Assert.Equal("How should I parse arithmetic expressions in C#?", provisional);
        Assert.Equal(2, _world.Fake.Requests.Count);
        var call = store.Messages(_world.SessionId, includeSuperseded: true).Single(m => m.Seq == -1);
        Assert.Equal((CostSource.Unknown, (decimal?)null, 0L), (call.CostSource!.Value, call.CostUsd, call.Usage!.Input));
        var session = await _world.SessionAsync();
        Assert.Equal(["catalog", "unknown"], session["costSources"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(2, session["messageCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("\"Parsing arithmetic in C#.\"", "Parsing arithmetic in C#")]
    [InlineData("Title: Build caching for CI pipelines on every runner", "Build caching for CI pipelines on")]
    [InlineData("  \n", null)]
    [InlineData(null, null)]
    [InlineData("Internationalisation considerations regarding multilingual typographical conventions everywhere", "Internationalisation considerations regarding multilingua…")]
    public void TheModelsTitle_IsOneLine_OfAtMostSixWords_WithoutQuotesOrFullStop(string? written, string? expected) =>
        Assert.Equal(expected, ChatTitles.Clean(written));
}
