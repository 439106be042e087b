using System.Text.Json.Nodes;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// What a chat turn refuses and what it sends besides the conversation (title, system prompt, context files, output
/// limit), over the real sidecar and a loopback OpenAI server.
/// </summary>
public sealed class ChatTurnRulesTests : IAsyncLifetime
{
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<RpcCallException> RefusedAsync(string method, JsonObject request) => Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync(method, request));

    [Fact]
    public async Task Send_WithNothingToSay_OrToAnArchivedChat_IsRefused_AndAnUnarchivedChatAnswersAgain()
    {
        var empty = await RefusedAsync("session/send", _world.Send("   "));
        Assert.Equal(-32602, empty.Code);
        Assert.Contains("say something", empty.Message);

        await _world.Rpc.CallAsync("session/archive", new JsonObject { ["id"] = _world.SessionId });
        var archived = await RefusedAsync("session/send", _world.Send("hello?"));
        Assert.Contains("archived", archived.Message);
        Assert.Empty(_world.Fake.Requests);

        await _world.Rpc.CallAsync("session/archive", new JsonObject { ["id"] = _world.SessionId, ["archived"] = false });
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Back again."));
        Assert.Equal("complete", (await _world.Rpc.CallAsync("session/send", _world.Send("hello?")))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task FirstQuestion_NamesAChatStillCalledNewChat_FromItsFirstLine_CutAt60()
    {
        var untitled = await _world.CreateChatAsync(title: null);
        var named = await _world.CreateChatAsync(title: "Kept");
        var question = "How do I make the build reproducible across every machine our team uses?\nDetails follow.";
        for (var i = 0; i < 3; i++) _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("ok"));

        await _world.Rpc.CallAsync("session/send", _world.Send(question, untitled));
        await _world.Rpc.CallAsync("session/send", _world.Send(question, named));
        await _world.Rpc.CallAsync("session/send", _world.Send("A second question", untitled));

        var title = (await _world.SessionAsync(untitled))["title"]!.GetValue<string>();
        Assert.Equal("How do I make the build reproducible across every machine…", title);
        Assert.Equal(58, title.Length);
        Assert.Equal("Kept", (await _world.SessionAsync(named))["title"]!.GetValue<string>());
        var shortChat = await _world.CreateChatAsync(title: null);
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("ok"));
        await _world.Rpc.CallAsync("session/send", _world.Send("  Short one  \nmore", shortChat));
        Assert.Equal("Short one", (await _world.SessionAsync(shortChat))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task WhileAnswering_AMessageIsQueued_AnotherTurnAndDeletingAreRefused_AndTheChatSaysItIsActive()
    {
        _world.Fake.Enqueue(new FakeResponse
        {
            ContentType = "text/event-stream",
            Steps = [.. _world.Fake.Wrap([FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Working")]).Select(f => new FakeStep(f))],
            HoldOpen = true,
        });
        var first = await _world.Rpc.SendAsync("session/send", _world.Send("long task"));
        await _world.Rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/partDelta");

        // A message sent meanwhile waits in the chat's queue; its request answers once it has been sent (or removed).
        var queued = await _world.Rpc.SendAsync("session/send", _world.Send("and another"));
        var told = await _world.Rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/queueChanged");
        Assert.Equal("and another", told["params"]!["added"]!["text"]!.GetValue<string>());
        Assert.Equal(1, told["params"]!["count"]!.GetValue<int>());
        Assert.Contains("already answering", (await RefusedAsync("session/regenerate", new JsonObject { ["sessionId"] = _world.SessionId })).Message);
        Assert.Contains("answering", (await RefusedAsync("session/delete", new JsonObject { ["id"] = _world.SessionId })).Message);
        Assert.Equal("active", (await _world.SessionAsync())["status"]!.GetValue<string>());

        await _world.Rpc.CallAsync("session/cancel", new JsonObject { ["sessionId"] = _world.SessionId });
        Assert.Equal("cancelled", (await _world.Rpc.ResultAsync(first))!["status"]!.GetValue<string>());
        // Stop keeps the queue waiting: nothing more reached the provider.
        Assert.Single(_world.Fake.Requests);
        Assert.Equal("idle", (await _world.SessionAsync())["status"]!.GetValue<string>());
        var waiting = (await _world.Rpc.CallAsync("session/queue", new JsonObject { ["sessionId"] = _world.SessionId }))!.AsArray();
        Assert.Equal("and another", Assert.Single(waiting)!["text"]!.GetValue<string>());
        await _world.Rpc.CallAsync("session/queueRemove", new JsonObject { ["id"] = waiting[0]!["id"]!.GetValue<string>() });
        Assert.Equal(-32800, (await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.ResultAsync(queued))).Code);
        Assert.Single(_world.Fake.Requests);
    }

    [Fact]
    public async Task RegenerateWithNothingAsked_AndEditingAnAnswerOrAnotherChatsMessage_AreRefused()
    {
        Assert.Contains("no message to answer", (await RefusedAsync("session/regenerate", new JsonObject { ["sessionId"] = _world.SessionId })).Message);
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("An answer"));
        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("A question")))!;
        var other = await _world.CreateChatAsync();

        var edit = new JsonObject { ["sessionId"] = _world.SessionId, ["messageId"] = answer["id"]!.GetValue<string>(), ["text"] = "changed" };
        Assert.Contains("Only your own messages", (await RefusedAsync("session/editAndResend", edit)).Message);
        var elsewhere = await RefusedAsync("session/editAndResend", new JsonObject { ["sessionId"] = other, ["messageId"] = answer["id"]!.GetValue<string>(), ["text"] = "x" });
        Assert.Equal(-33001, elsewhere.Code);
        var fork = await RefusedAsync("session/fork", new JsonObject { ["sessionId"] = other, ["messageId"] = "no-such-message" });
        Assert.Equal(-33001, fork.Code);
        Assert.Single(_world.Fake.Requests);
    }

    [Fact]
    public async Task EditAndResend_OfAMessageWithAnImage_KeepsTheImage_WithNewIds_AndSupersedesWhatFollowed()
    {
        await _world.Rpc.CallAsync("session/setModel", new JsonObject { ["id"] = _world.SessionId, ["instanceId"] = _world.InstanceId, ["modelId"] = "gpt-4o" });
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("A pixel."));
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Red."));
        var request = _world.Send("What is this?");
        request["attachments"] = new JsonArray(new JsonObject { ["kind"] = "image", ["path"] = "pixel.png", ["mimeType"] = "image/png", ["data"] = Pixel });
        await _world.Rpc.CallAsync("session/send", request);
        var original = (await _world.MessagesAsync())[0]!;

        await _world.Rpc.CallAsync("session/editAndResend", new JsonObject { ["sessionId"] = _world.SessionId, ["messageId"] = original["id"]!.GetValue<string>(), ["text"] = "Which colour?" });

        var messages = await _world.MessagesAsync();
        Assert.Equal(2, messages.Count);
        var edited = messages[0]!["parts"]!.AsArray();
        Assert.Equal(("Which colour?", Pixel), (edited[0]!["text"]!.GetValue<string>(), edited[1]!["content"]!.GetValue<string>()));
        Assert.DoesNotContain(edited, p => original["parts"]!.AsArray().Any(o => o!["id"]!.GetValue<string>() == p!["id"]!.GetValue<string>()));
        Assert.Contains("image_url", _world.Fake.Requests[1].Json!["messages"]!.ToJsonString());
        Assert.Equal("Red.", messages[1]!["parts"]![0]!["text"]!.GetValue<string>());
        // The message edited and its answer are kept, superseded.
        var kept = _world.Service<Plue.Transcripts.MessageStore>().Messages(_world.SessionId, includeSuperseded: true);
        Assert.Equal(["superseded", "superseded", "complete", "complete"], kept.Select(m => m.Status.ToString().ToLowerInvariant()));
        Assert.Equal("What is this?", Assert.IsType<Plue.Protocol.TextPart>(kept[0].Parts[0]).Text);
    }

    [Fact]
    public async Task SystemPromptFile_ContextFilesAndOutputLimit_AreSent_AndWhatCannotBeReadIsLeftOut()
    {
        Directory.CreateDirectory(Path.Combine(_world.Home, "prompts"));
        File.WriteAllText(Path.Combine(_world.Home, "prompts", "terse.md"), "Answer in one line.");
        File.WriteAllText(Path.Combine(_world.Home, "prompts", "style.md"), "Prefer tables.");
        File.WriteAllText(Path.Combine(_world.Workspace, "big.txt"), new string('x', 256 * 1024 + 1));
        File.WriteAllText(Path.Combine(_world.Workspace, "small.txt"), "Small and sent.");
        var chat = (await _world.Rpc.CallAsync("session/create", new JsonObject
        {
            ["instanceId"] = _world.InstanceId, ["modelId"] = "gpt-test", ["allowUnlisted"] = true, ["systemPromptRef"] = "codex://prompts/terse.md",
        }))!["id"]!.GetValue<string>();
        await _world.SetFieldsAsync(new JsonObject
        {
            ["context_files"] = new JsonArray("codex://prompts/style.md", "codex://prompts/missing.md", "big.txt", "small.txt", "nowhere.txt"),
            ["max_output_tokens"] = 77,
        }, chat);
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("ok"));

        await _world.Rpc.CallAsync("session/send", _world.Send("hi", chat));

        var sent = _world.Fake.Requests.Single().Json!;
        var system = sent["messages"]![0]!;
        Assert.Equal("system", system["role"]!.GetValue<string>());
        var prompt = system["content"]!.ToJsonString();
        Assert.StartsWith("\"Answer in one line.", prompt);
        Assert.Contains("Prefer tables.", prompt);
        Assert.Contains("Small and sent.", prompt);
        Assert.DoesNotContain("xxxx", prompt);
        Assert.DoesNotContain("missing.md", prompt);
        Assert.DoesNotContain("nowhere.txt", prompt);
        Assert.Equal(77, (sent["max_completion_tokens"] ?? sent["max_tokens"])!.GetValue<int>());
    }

    [Fact]
    public async Task AMissingSystemPromptFile_DoesNotStopTheChat_ItGoesOnWithoutOne()
    {
        var chat = (await _world.Rpc.CallAsync("session/create", new JsonObject
        {
            ["instanceId"] = _world.InstanceId, ["modelId"] = "gpt-test", ["allowUnlisted"] = true, ["systemPromptRef"] = "codex://prompts/gone.md",
        }))!["id"]!.GetValue<string>();
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Still here."));

        var answer = (await _world.Rpc.CallAsync("session/send", _world.Send("hi", chat)))!;

        Assert.Equal("complete", answer["status"]!.GetValue<string>());
        Assert.DoesNotContain(_world.Fake.Requests.Single().Json!["messages"]!.AsArray(), m => m!["role"]!.GetValue<string>() == "system");
    }

    [Fact]
    public async Task TheInlineSystemPrompt_WinsOverAFile()
    {
        var chat = (await _world.Rpc.CallAsync("session/create", new JsonObject
        {
            ["instanceId"] = _world.InstanceId, ["modelId"] = "gpt-test", ["allowUnlisted"] = true, ["systemPromptRef"] = "codex://prompts/gone.md", ["systemPrompt"] = "Be brief.",
        }))!["id"]!.GetValue<string>();
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("ok"));

        await _world.Rpc.CallAsync("session/send", _world.Send("hi", chat));

        Assert.Contains("Be brief.", _world.Fake.Requests.Single().Json!["messages"]![0]!["content"]!.ToJsonString());
    }

    [Fact]
    public async Task SendToLlmHook_AnEmptiedUserMessage_SendsNothing_TheNextTextIsSent()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Only once."));

        await _world.SetFieldsAsync(new JsonObject { ["user_message"] = "" });
        await _world.SetFieldsAsync(new JsonObject { ["user_message"] = "The real question" });
        await _world.Rpc.WaitForNotificationAsync(n => n["method"]!.GetValue<string>() == "session/messageUpdated"
            && n["params"]!["message"]!["role"]!.GetValue<string>() == "assistant" && n["params"]!["message"]!["status"]!.GetValue<string>() == "complete");

        Assert.Contains("The real question", _world.Fake.Requests.Single().Json!["messages"]!.ToJsonString());
        Assert.Equal(["The real question", "Only once."], (await _world.MessagesAsync()).Select(m => m!["parts"]![0]!["text"]!.GetValue<string>()));
    }

    private const string Pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
}
