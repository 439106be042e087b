using Microsoft.Extensions.AI;
using Plue.Instances;
using Plue.Providers;
using Plue.Providers.ClaudeCode;
using Plue.Tests.Support;

namespace Plue.Tests.Providers.ClaudeCode;

/// <summary>
/// The claude-code client over a stand-in CLI (<see cref="ReplayCli"/>) that replays recorded turns: the argv and files
/// a launch is made of, the prompt a new process gets, the lines plue must skip or refuse, and the login check.
/// </summary>
public sealed class ClaudeCodeReplayTests : IDisposable
{
    private const string Model = "claude-sonnet-4-5";
    private readonly TempDir _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Turn_WithEveryLaunchOption_PutsThemInArgvAndFilesNeverThePromptOrSecrets()
    {
        using var cli = new ReplayCli(ReplayCli.Fixture("streamed-turn.jsonl"));
        var client = Client(cli);
        var mcp = new ClaudeCodeMcpConfig([new ClaudeCodeMcpServer { Name = "docs", Command = "docs-server", Args = ["--stdio"], Env = new Dictionary<string, string?> { ["DOCS_TOKEN"] = "tok-SECRET" } }]);
        var options = new ChatOptions
        {
            ConversationId = "c1", ModelId = Model, Instructions = "You are terse.",
            AdditionalProperties = new()
            {
                [ClaudeCodeChatClient.MaxTurnsKey] = 4L, [ClaudeCodeChatClient.ToolsKey] = "Read,Edit", [ClaudeCodeChatClient.McpConfigKey] = mcp,
                [ClaudeCodeChatClient.AllowedToolsKey] = "mcp__docs", [ClaudeCodeChatClient.DisallowedToolsKey] = "Bash",
            },
        };

        var updates = await DrainAsync(client, [new(ChatRole.System, "Mind the tests."), new(ChatRole.User, "What does the build use?")], options);

        Assert.Equal("Reading it now.It uses make.", string.Concat(updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text)));
        var argv = cli.Argv;
        Assert.Equal(["-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages", "--input-format", "stream-json",
            "--model", Model, "--permission-prompt-tool", "stdio", "--permission-mode", "default", "--max-turns", "4"], argv.Take(15));
        Assert.Equal("Read,Edit", After(argv, "--tools"));
        Assert.Equal("mcp__docs", After(argv, "--allowedTools"));
        Assert.Equal("Bash", After(argv, "--disallowedTools"));
        Assert.Contains("--strict-mcp-config", argv);
        Assert.DoesNotContain(argv, a => a.Contains("terse", StringComparison.Ordinal) || a.Contains("SECRET", StringComparison.Ordinal));
        Assert.Contains("What does the build use?", await cli.ReadLineContainingAsync("\"type\":\"user\""));

        // The launch files live as long as the process: the prompt and the MCP servers, each server with only its own
        // secret, which the file names and the CLI's environment holds (a file a kill leaves behind holds no secret).
        Assert.Equal("You are terse.\n\nMind the tests.", File.ReadAllText(After(argv, "--system-prompt-file")));
        var config = File.ReadAllText(After(argv, "--mcp-config"));
        Assert.Contains("\"DOCS_TOKEN\":\"${PLUE_MCP_0_0}\"", config, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", config, StringComparison.Ordinal);
        Assert.Contains("\"ANTHROPIC_API_KEY\":\"\"", config, StringComparison.Ordinal);
        Assert.Equal(mcp, new ClaudeCodeMcpConfig([.. mcp.Servers]));
        Assert.Equal(mcp.GetHashCode(), new ClaudeCodeMcpConfig([.. mcp.Servers]).GetHashCode());
        Assert.False(mcp.Equals((object)"docs"));
        Assert.Equal("MCP servers docs", mcp.ToString());

        await client.Sessions.CloseAsync("c1");
        Assert.False(File.Exists(After(argv, "--mcp-config")));
    }

    [Fact]
    public async Task Turn_NoiseAndControlRequestsPlueDoesNotServe_AreSkippedOrRefusedAndTheTurnGoesOn()
    {
        using var cli = new ReplayCli(
        [
            "this is not json",
            "",
            """{"type":"keep_alive"}""",
            """{"type":"control_response","response":{"subtype":"success","request_id":"nobody_asked"}}""",
            """{"type":"control_request","request_id":"req_mode","request":{"subtype":"set_permission_mode","mode":"plan"}}""",
            """{"type":"control_request","request_id":"req_tool","request":{"subtype":"can_use_tool","tool_name":"Bash","input":{"command":"ls"}}}""",
            """{"type":"control_cancel_request","request_id":"req_gone"}""",
            .. ReplayCli.Fixture("unstreamed-turn.jsonl"),
        ]);
        var client = Client(cli, approver: null);

        var updates = await DrainAsync(client, [new(ChatRole.User, "Go.")], new ChatOptions { ConversationId = "c2", ModelId = Model });

        Assert.Equal("Checking two things.Two folders.", string.Concat(updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text)));
        Assert.Contains("\"subtype\":\"error\"", await cli.ReadLineContainingAsync("req_mode"), StringComparison.Ordinal);
        Assert.Contains("No one is there to approve tools", await cli.ReadLineContainingAsync("req_tool"), StringComparison.Ordinal);
        await client.Sessions.CloseAsync("c2");
    }

    [Fact]
    public async Task FirstTurn_OfAConversationBegunElsewhere_GetsItAsATranscript_LaterTurnsOnlyTheQuestion()
    {
        using var cli = new ReplayCli(ReplayCli.Fixture("unstreamed-turn.jsonl"));
        var client = Client(cli);
        var options = new ChatOptions { ConversationId = "c3", ModelId = Model };
        List<ChatMessage> history = [new(ChatRole.User, "Hello?"), new(ChatRole.Assistant, "Hi, how can I help?"), new(ChatRole.Tool, "ignored"), new(ChatRole.User, "List the tests.")];

        var first = await client.GetResponseAsync(history, options);
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, "And the docs?"));
        await DrainAsync(client, history, options);

        var turns = cli.Stdin.Where(l => l.Contains("\"type\":\"user\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, turns.Count);
        Assert.Contains("Earlier in this conversation:\\n\\nUser: Hello?\\n\\nAssistant: Hi, how can I help?\\n\\nNow: List the tests.", turns[0], StringComparison.Ordinal);
        Assert.Contains("\"content\":\"And the docs?\"", turns[1], StringComparison.Ordinal);
        Assert.Equal(1, cli.Starts);
        await client.Sessions.CloseAsync("c3");
    }

    [Fact]
    public async Task Turn_WithoutModelUserMessageOrCli_IsRefusedBeforeAnythingStarts()
    {
        using var cli = new ReplayCli([]);
        var client = Client(cli);

        await Assert.ThrowsAsync<ArgumentException>(() => DrainAsync(client, [new(ChatRole.User, "Hi")], new ChatOptions()));
        await Assert.ThrowsAsync<ArgumentException>(() => DrainAsync(client, [new(ChatRole.System, "Only a system prompt.")], new ChatOptions { ModelId = Model }));
        var missing = Client(cli, cliPath: Path.Combine(_workspace.Path, "no-such-claude"));
        var error = await Assert.ThrowsAsync<ClaudeCodeException>(() => DrainAsync(missing, [new(ChatRole.User, "Hi")], new ChatOptions { ModelId = Model }));
        Assert.Contains("Could not start the Claude Code CLI", error.Message, StringComparison.Ordinal);

        Assert.Same(client.Sessions, client.GetService(typeof(ClaudeCodeSessions)));
        Assert.Same(client, client.GetService(typeof(IChatClient)));
        Assert.Equal("claude-code", Assert.IsType<ChatClientMetadata>(client.GetService(typeof(ChatClientMetadata))).ProviderName);
        Assert.Null(client.GetService(typeof(IChatClient), "key"));
        Assert.Null(client.GetService(typeof(string)));
        client.Dispose();
        missing.Dispose();
    }

    [Fact]
    public async Task AuthStatus_OfStandInClis_ReportsEachFailure()
    {
        using var loggedIn = new ReplayCli([]);
        using var badVersion = new ReplayCli([], versionExit: 3);
        using var badStatus = new ReplayCli([], authStatus: "Please log in");
        var notExecutable = Path.Combine(_workspace.Path, "claude-text");
        File.WriteAllText(notExecutable, "not a program");

        var ok = await ClaudeCodeAuth.GetStatusAsync(loggedIn.Path, new Dictionary<string, string?> { ["CLAUDE_CONFIG_DIR"] = _workspace.Path, ["UNSET_ME"] = null }, CancellationToken.None);
        var version = await ClaudeCodeAuth.GetStatusAsync(badVersion.Path, null, CancellationToken.None);
        var status = await ClaudeCodeAuth.GetStatusAsync(badStatus.Path, null, CancellationToken.None);
        var notRunnable = await ClaudeCodeAuth.GetStatusAsync(notExecutable, null, CancellationToken.None);

        Assert.Equal((true, true, "2.1.19", "api_key"), (ok.Installed, ok.LoggedIn, ok.Version!, ok.AuthMethod!));
        Assert.False(version.Installed);
        Assert.Equal("claude --version failed: version check failed", version.Error);
        Assert.True(status.Installed);
        Assert.False(status.LoggedIn);
        Assert.StartsWith("claude auth status failed:", status.Error, StringComparison.Ordinal);
        Assert.False(notRunnable.Installed);
        Assert.NotNull(notRunnable.Error);
    }

    private ClaudeCodeChatClient Client(ReplayCli cli, Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>>? approver = null, string? cliPath = null) =>
        new(new ProviderConnection
        {
            InstanceId = "replay", ProviderType = "claude-code", CatalogProviderId = "claude-code", ApiKey = "sk-ant-api-SECRET-replay",
            CliPath = cliPath ?? cli.Path, FirstByteTimeoutMs = 10_000, TimeoutMs = 10_000,
        }, new ClaudeCodeChatClientOptions { WorkingDirectory = _workspace.Path, Approver = approver });

    private static async Task<List<ChatResponseUpdate>> DrainAsync(IChatClient client, List<ChatMessage> messages, ChatOptions options)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options)) updates.Add(update);
        return updates;
    }

    private static string After(string[] argv, string flag) => argv[Array.IndexOf(argv, flag) + 1];
}
