using System.Text.Json.Nodes;
using Plue.Tests.Fakes;

namespace Plue.Tests.Cli;

/// <summary><c>plue ask</c>: the answer streamed to stdout, the chat stored, and each refusal told in one line with its exit code.</summary>
public sealed class CliAskTests : IAsyncLifetime
{
    private readonly CliWorld _world = new();

    public Task InitializeAsync() => _world.AddInstanceAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private string UserText(int request) => string.Concat(_world.Fake.Requests.Where(r => r.Method == "POST").ElementAt(request).Json["messages"]!.AsArray()
        .Where(m => m!["role"]!.GetValue<string>() == "user").Select(m => m!["content"] is JsonValue text ? text.GetValue<string>() : m["content"]!.ToJsonString()));

    [Fact]
    public async Task PipedAsk_StreamsTheAnswer_AndSendsTheQuestionThenWhatWasPiped()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Looks ", "good."));

        var asked = await _world.RunAsync(new CliInput("\uFEFFdiff --git a/x b/x\n+added line\n"), "ask", "review this");

        Assert.True(asked.Code == 0, asked.ToString());
        Assert.Equal("Looks good.\n", asked.Stdout);
        Assert.Equal("", asked.Stderr);
        var request = _world.Fake.Requests.Single(r => r.Method == "POST");
        Assert.Equal("Bearer " + CliWorld.Key, request.Header("Authorization"));
        Assert.Equal("gpt-test", request.Json["model"]!.GetValue<string>());
        Assert.Contains("review this\n\ndiff --git a/x b/x\n+added line", UserText(0));
    }

    [Fact]
    public async Task Json_GivesTheStoredChatAndTheAnswer_AndSessionsListShowAndExportReadItBack()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Four."));
        var notes = Path.Combine(_world.Workspace, "notes.txt");
        await File.WriteAllTextAsync(notes, "two and two\n");

        var asked = await _world.RunAsync("ask", "two plus two?", "--system", "Answer in one word.", "-f", notes, "--json");

        Assert.True(asked.Code == 0, asked.ToString());
        var json = JsonNode.Parse(asked.Stdout)!;
        var id = json["session"]!["id"]!.GetValue<string>();
        Assert.Equal(("two plus two?", "gpt-test", 2), (json["session"]!["title"]!.GetValue<string>(), json["session"]!["modelId"]!.GetValue<string>(), json["session"]!["messageCount"]!.GetValue<int>()));
        Assert.Equal("complete", json["message"]!["status"]!.GetValue<string>());
        Assert.Equal("Four.", json["message"]!["parts"]!.AsArray().Single(p => p!["kind"]!.GetValue<string>() == "text")!["text"]!.GetValue<string>());
        Assert.Contains("two and two", UserText(0));
        var system = _world.Fake.Requests.Single(r => r.Method == "POST").Json["messages"]!.AsArray().First()!;
        Assert.Contains("Answer in one word.", system["content"]!.ToJsonString());

        var listed = await _world.RunAsync("sessions", "list");
        Assert.Equal("id\ttitle\tmodel\tmessages\tcost\tupdated", listed.Stdout.Split('\n')[0]);
        Assert.Contains($"{id}\ttwo plus two?\tgpt-test\t2\t", listed.Stdout);
        var listedJson = await _world.RunAsync("sessions", "list", "--json");
        Assert.Equal([id], JsonNode.Parse(listedJson.Stdout)!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal("id\ttitle\tmodel\tmessages\tcost\tupdated\n", (await _world.RunAsync("sessions", "list", "--archived")).Stdout);

        var markdown = await _world.RunAsync("sessions", "export", id[..8]);
        Assert.True(markdown.Code == 0, markdown.ToString());
        Assert.StartsWith("# two plus two?\n", markdown.Stdout);
        Assert.Contains("## You\n\ntwo plus two?\n", markdown.Stdout);
        Assert.Contains($"_Attached: {notes}_", markdown.Stdout);
        Assert.Contains("## gpt-test\n\nFour.\n", markdown.Stdout);
        var shown = await _world.RunAsync("sessions", "show", "two plus two?");
        Assert.Equal(markdown.Stdout, shown.Stdout);
        var exported = JsonNode.Parse((await _world.RunAsync("sessions", "export", "TWO PLUS TWO?", "--format", "json")).Stdout)!;
        Assert.Equal(["user", "assistant"], exported["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal(id, JsonNode.Parse((await _world.RunAsync("sessions", "show", id, "--json")).Stdout)!["session"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownChat_AndAFormatThatIsNotOne_AreRefusedSayingWhatToDo()
    {
        var unknown = await _world.RunAsync("sessions", "show", "nothing like it");
        Assert.Equal(2, unknown.Code);
        Assert.Equal("plue: No chat is called 'nothing like it': `plue sessions list` shows them.\n", unknown.Stderr);

        var format = await _world.RunAsync("sessions", "export", "x", "--format", "text");
        Assert.NotEqual(0, format.Code);
        Assert.Contains("'text'", format.Stderr);
    }

    [Fact]
    public async Task TwoChatsWithOneTitle_AreNamedByTheirIds()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("One."));
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Two."));
        Assert.Equal(0, (await _world.RunAsync("ask", "Same question?")).Code);
        Assert.Equal(0, (await _world.RunAsync("ask", "Same question?")).Code);

        var ambiguous = await _world.RunAsync("sessions", "show", "same question?");

        Assert.Equal(2, ambiguous.Code);
        Assert.Equal("plue: 2 chats are called 'same question?': name one by its id (`plue sessions list` shows them).\n", ambiguous.Stderr);
    }

    [Fact]
    public async Task BadInput_IsToldInOneLineWithExitCode2_AndNothingIsAsked()
    {
        var unknown = await _world.RunAsync("ask", "hi", "-i", "Nope");
        Assert.Equal(2, unknown.Code);
        Assert.Equal("", unknown.Stdout);
        Assert.Equal("plue: No provider instance is called 'Nope'. Known: Loopback (`plue instances list`).\n", unknown.Stderr);

        var nothing = await _world.RunAsync("ask");
        Assert.Equal(2, nothing.Code);
        Assert.StartsWith("plue: Nothing to ask: give a question", nothing.Stderr);

        var missing = await _world.RunAsync("ask", "read this", "-f", "no-such-file.txt");
        Assert.Equal(2, missing.Code);
        Assert.StartsWith("plue: Cannot attach 'no-such-file.txt': it does not exist. -f attaches a regular file of up to 4 MiB", missing.Stderr);

        var folder = await _world.RunAsync("ask", "read this", "-f", _world.Workspace);
        Assert.Equal(2, folder.Code);
        Assert.StartsWith($"plue: Cannot attach '{_world.Workspace}':", folder.Stderr);

        var tooMuch = await _world.RunAsync(new CliInput(new string('x', 1024 * 1024 + 1)), "ask", "summarise");
        Assert.Equal(2, tooMuch.Code);
        Assert.StartsWith("plue: The input piped to plue ask is over 1 MiB", tooMuch.Stderr);

        var unlisted = await _world.RunAsync("ask", "hi", "-m", "no-such-model");
        Assert.Equal(2, unlisted.Code);
        Assert.Contains("no-such-model", unlisted.Stderr);

        Assert.DoesNotContain(_world.Fake.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task NoInstance_SaysHowToAddOne()
    {
        await using var empty = new CliWorld();

        var asked = await empty.RunAsync("ask", "hi");
        var named = await empty.RunAsync("ask", "hi", "-i", "Work");

        Assert.Equal(2, asked.Code);
        Assert.StartsWith("plue: No provider instance is set up: add one with `plue instances add <provider>`", asked.Stderr);
        Assert.Equal("plue: No provider instance is called 'Work'. None is set up yet: add one with `plue instances add <provider>`.\n", named.Stderr);
    }

    [Fact]
    public async Task ProviderFailure_ExitsWith1_SayingHowToCheckIt_AndTheChatIsKept()
    {
        _world.Fake.Enqueue(FakeResponse.Json(400, FakeOpenAIServer.ErrorBody("This model is not available to you.", "invalid_request_error")));

        var asked = await _world.RunAsync("ask", "hi");

        Assert.Equal(1, asked.Code);
        Assert.Contains("plue: Loopback failed: ", asked.Stderr);
        Assert.Contains("This model is not available to you.", asked.Stderr);
        Assert.Contains("plue: check it with `plue instances test \"Loopback\"`; the chat is kept (`plue sessions list`).", asked.Stderr);
        Assert.DoesNotContain(CliWorld.Key, asked.Stderr);
        var export = await _world.RunAsync("sessions", "export", "hi");
        Assert.Contains("_Failed: ", export.Stdout);
    }

    [Fact]
    public async Task InstanceWithoutAKey_IsRefusedBeforeAnythingIsSent_SayingHowToSetOne()
    {
        var added = await _world.RunAsync("instances", "add", "openai", "--name", "Keyless", "--endpoint", _world.Fake.Endpoint, "-m", "gpt-test", "--no-key");
        Assert.True(added.Code == 0, added.ToString());
        Assert.Equal("Added Keyless (OpenAI); key: none. Try `plue instances test \"Keyless\"`.\n", added.Stdout);

        var asked = await _world.RunAsync("ask", "hi", "-i", "Keyless");

        Assert.Equal(1, asked.Code);
        Assert.Contains("no API key", asked.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("set its key with `plue instances key \"Keyless\"`", asked.Stderr);
        Assert.DoesNotContain(_world.Fake.Requests, r => r.Method == "POST");
    }
}
