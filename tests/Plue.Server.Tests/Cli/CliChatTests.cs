using Plue.Tests.Fakes;

namespace Plue.Tests.Cli;

/// <summary><c>plue chat</c> fed its lines on stdin: turns streamed, the slash commands, and a refused line that does not end the chat.</summary>
public sealed class CliChatTests : IAsyncLifetime
{
    private readonly CliWorld _world = new();

    public Task InitializeAsync() => _world.AddInstanceAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Lines_AreTurnsAndCommands_TheChatGoesOnAfterARefusal_AndExitLeaves()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Hi ", "there."));
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Hello again."));
        var lines = string.Join('\n', "/cost", "/fork", "/regenerate", "", "hello", "/cost", "/help", "/model gpt-test-mini", "/regenerate", "/fork", "/nope", "/exit", "never read");

        var chat = await _world.RunAsync(new CliInput(lines + "\n"), "chat", "--system", "Be brief.");

        Assert.True(chat.Code == 0, chat.ToString());
        Assert.StartsWith("New chat with gpt-test on Loopback.\n/model <id> [instance]  change the model", chat.Stdout);
        Assert.Contains("> Nothing spent yet.\n", chat.Stdout);
        Assert.Contains("> Hi there.\n", chat.Stdout);
        Assert.Contains("> 12 in, 2 out · ", chat.Stdout);
        Assert.Contains("> /model <id> [instance] · /mode <name> · /start [mode] · /fork · /regenerate · /cost · /exit\n", chat.Stdout);
        Assert.Contains("> Now gpt-test-mini on Loopback.\n", chat.Stdout);
        Assert.Contains("> Hello again.\n", chat.Stdout);
        Assert.Contains("> Forked: you are now in \"", chat.Stdout);
        Assert.Equal("plue: Nothing to fork yet: say something first.\n"
            + "plue: /regenerate is no command here (or needs a chat first); /help lists them.\n"
            + "plue: /nope is no command here (or needs a chat first); /help lists them.\n", chat.Stderr);
        var posts = _world.Fake.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(["gpt-test", "gpt-test-mini"], posts.Select(r => r.Json["model"]!.GetValue<string>()));
        Assert.Contains("Be brief.", posts[0].Json["messages"]![0]!["content"]!.ToJsonString());

        var listed = await _world.RunAsync("sessions", "list");
        Assert.Equal(3, listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header, the chat and its fork
    }

    [Fact]
    public async Task AChatContinued_ShowsItsLastMessages_AndAFailedTurnIsToldWithoutLeaving()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("First answer."));
        Assert.Equal(0, (await _world.RunAsync("ask", "first question")).Code);
        _world.Fake.Enqueue(FakeResponse.Json(400, FakeOpenAIServer.ErrorBody("Refused by the provider.", "invalid_request_error")));
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Second answer."));

        var chat = await _world.RunAsync(new CliInput("second question\nthird question\n"), "chat", "first question");

        Assert.True(chat.Code == 0, chat.ToString());
        Assert.StartsWith("# first question\n", chat.Stdout);
        Assert.Contains("## gpt-test\n\nFirst answer.\n", chat.Stdout);
        Assert.Contains("> Second answer.\n", chat.Stdout);
        Assert.Contains("plue: Loopback failed: ", chat.Stderr);
        Assert.Contains("Refused by the provider.", chat.Stderr);
        var export = await _world.RunAsync("sessions", "export", "first question");
        Assert.Contains("third question", export.Stdout);
    }

    [Fact]
    public async Task AChatWhoseInstanceIsGone_IsRefused_SayingWhatToDo()
    {
        _world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Kept."));
        Assert.Equal(0, (await _world.RunAsync("ask", "orphan")).Code);
        Assert.Equal(0, (await _world.RunAsync("instances", "remove", "Loopback", "--yes")).Code);

        var chat = await _world.RunAsync(new CliInput("/exit\n"), "chat", "orphan");
        var unknown = await _world.RunAsync(new CliInput("/exit\n"), "chat", "no such chat");

        Assert.Equal(1, chat.Code);
        Assert.StartsWith("plue: The chat's provider instance is gone", chat.Stderr);
        Assert.Equal((2, "plue: No chat is called 'no such chat': `plue sessions list` shows them.\n"), (unknown.Code, unknown.Stderr));
    }
}
