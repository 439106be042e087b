using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Agents.Tools.Files;
using Plue.Providers;
using Plue.Providers.Acp;
using Plue.Providers.ClaudeCode;
using Plue.Tests.Support;
using Plue.Workspace;

namespace Plue.Tests.Providers.Acp;

/// <summary>
/// The acp-agent backend against a real agent process speaking ACP on its stdio (tests/fixtures/acp/scriptedAgent.mjs,
/// which acts out each prompt by its words): the parts a turn streams, the agent's questions (permissions, files),
/// and the ways a turn ends badly (the agent exits, fails the turn, goes silent, ignores a cancel, will not start).
/// </summary>
public sealed class AcpAgentChatClientTests : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly AcpAgentSessions _sessions = new();
    private readonly List<ToolApprovalRequest> _asked = [];

    private static string Agent => RepoPaths.Fixtures("acp", "scriptedAgent.mjs");

    private ProviderConnection Connection(string? start = null, int timeoutMs = 30_000, int firstByteMs = 30_000) => new()
    {
        InstanceId = "inst-acp",
        InstanceName = "Scripted agent",
        ProviderType = "acp-agent",
        CatalogProviderId = "acp-agent",
        CliPath = "node",
        CliArgs = [Agent],
        CliEnvironment = new Dictionary<string, string> { ["AGENT_GREETING"] = "hi", ["SCRIPTED_AGENT_START"] = start ?? "" },
        FirstByteTimeoutMs = firstByteMs,
        TimeoutMs = timeoutMs,
        StallTimeoutMs = timeoutMs,
    };

    private AcpAgentChatClient Client(ProviderConnection? connection = null, Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>>? approver = null,
        bool files = true)
    {
        var workspace = new WorkspaceContext();
        workspace.Initialize(Path.Combine(_dir.Path, "home"), [_dir.Path], trusted: true);
        return new AcpAgentChatClient(connection ?? Connection(), new AcpAgentOptions
        {
            WorkingDirectory = _dir.Path,
            Sessions = _sessions,
            Approver = approver,
            Files = files ? new AgentWorkspaceFiles(workspace) : null,
        });
    }

    private static ChatOptions Chat(string id) => new() { ConversationId = id, ModelId = "agent" };

    private static async Task<List<ChatResponseUpdate>> TurnAsync(IChatClient client, string text, string chat = "chat-1", CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, text)], Chat(chat), bound.Token)) updates.Add(update);
        return updates;
    }

    private static string Text(IEnumerable<ChatResponseUpdate> updates) =>
        string.Concat(updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text));

    [Fact]
    public async Task ATurn_IsTheAgentsText_StartedInTheWorkspace_WithTheInstancesEnvironment_AndKeepsItsAgentForTheNextTurn()
    {
        var client = Client();

        var first = await TurnAsync(client, "echo this");
        var livesAfterFirst = _sessions.LiveProcesses;
        var second = await TurnAsync(client, "echo again");

        Assert.Equal($"prompt=echo this|client=plue fs=true cwd={_dir.Path} env=hi", Text(first));
        Assert.Equal(ChatFinishReason.Stop, first[^1].FinishReason);
        Assert.Equal("chat-1", first[^1].ConversationId);
        Assert.Equal("agent", first[^1].ModelId);
        Assert.StartsWith("prompt=echo again|", Text(second));
        Assert.Equal(1, livesAfterFirst);
        Assert.Equal(1, _sessions.LiveProcesses);
        Assert.Equal("acp-agent", client.GetService<ChatClientMetadata>()?.ProviderName);
        Assert.Same(client, client.GetService<AcpAgentChatClient>());
        Assert.Null(client.GetService<AcpAgentChatClient>("key"));
        Assert.Null(client.GetService<string>());
    }

    [Fact]
    public async Task TheAgentsUpdates_BecomeText_Reasoning_AndInformationalToolCallsWithTheirResults()
    {
        var updates = await TurnAsync(Client(), "show your parts");
        var contents = updates.SelectMany(u => u.Contents).ToList();

        Assert.Equal("Text, [image][notes.md][file:///bare.md]done.", Text(updates));
        Assert.Equal(["Thinking it over.", "Plan:\n[x] Read the file\n[~] Fix it\n[ ] Test it"], contents.OfType<TextReasoningContent>().Select(r => r.Text));
        var calls = contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(["read-1", "run-1", "find-1", "quiet-1", "broke-1"], calls.Select(c => c.CallId));
        Assert.All(calls, c => Assert.True(c.InformationalOnly));
        Assert.Equal(["Read notes.md", "execute", "Find", "tool", "Broke"], calls.Select(c => c.Name));
        Assert.Equal("notes.md", ((JsonElement)calls[0].Arguments!["path"]!).GetString());
        var results = contents.OfType<FunctionResultContent>().ToDictionary(r => r.CallId);
        Assert.Equal(5, results.Count);
        Assert.Equal("the notes\nEdited /p/notes.md", results["read-1"].Result);
        Assert.Equal("exit 2: not found", results["run-1"].Result);
        Assert.True((bool)results["run-1"].AdditionalProperties![ClaudeCodeStreamMapper.ErrorKey]!);
        Assert.False(results["run-1"].AdditionalProperties!.ContainsKey(ClaudeCodeStreamMapper.DeniedKey));
        Assert.Equal("""{"matches":3}""", results["find-1"].Result);
        Assert.Equal("Done.", results["quiet-1"].Result);
        Assert.Null(results["quiet-1"].AdditionalProperties);
        Assert.Equal("The tool failed.", results["broke-1"].Result);
        Assert.All(updates.Where(u => u.Contents.OfType<FunctionResultContent>().Any()), u => Assert.Equal(ChatRole.Tool, u.Role));
        Assert.DoesNotContain("another session", Text(updates));
        Assert.DoesNotContain("not the agent speaking", Text(updates));
    }

    [Theory]
    [InlineData("hit max tokens", "length")]
    [InlineData("hit max turns", "length")]
    [InlineData("a refusal", "content_filter")]
    [InlineData("plain", "stop")]
    public async Task TheAgentsStopReason_IsTheFinishReason(string prompt, string finish)
    {
        var updates = await TurnAsync(Client(), prompt);

        Assert.Equal("Hello from the agent.", Text(updates));
        Assert.Equal(new ChatFinishReason(finish), updates[^1].FinishReason);
    }

    [Fact]
    public async Task APermissionQuestion_IsAskedAsPlueApproval_UnderTheToolItsCallsKindNames_AndTheAnswerIsTheOfferedOption()
    {
        var decisions = new Queue<ToolApprovalDecision>([ToolApprovalDecision.Allow, new(ToolApprovalBehavior.AllowAlways), ToolApprovalDecision.Deny("Not that one.")]);
        var client = Client(approver: (request, _) =>
        {
            lock (_asked) _asked.Add(request);
            return Task.FromResult(decisions.Dequeue());
        });

        var allowed = await TurnAsync(client, "permission please");
        var always = await TurnAsync(client, "permission please");
        var denied = await TurnAsync(client, "permission please");

        Assert.Equal("outcome=selected:yes", Text(allowed));
        Assert.Equal("outcome=selected:always", Text(always));
        Assert.Equal("outcome=selected:no", Text(denied));
        var question = _asked[0];
        Assert.Equal("chat-1", question.SessionId);
        Assert.Equal("Edit", question.Tool);
        Assert.Equal("edit-1", question.ToolUseId);
        Assert.Equal("Edit main.c", question.Reason);
        Assert.Equal("main.c", question.Input.GetProperty("path").GetString());
        var refused = denied.SelectMany(u => u.Contents).OfType<FunctionResultContent>().Single();
        Assert.True((bool)refused.AdditionalProperties![ClaudeCodeStreamMapper.DeniedKey]!);
    }

    [Theory]
    [InlineData("read", "Read")]
    [InlineData("delete", "Edit")]
    [InlineData("move", "Edit")]
    [InlineData("search", "Grep")]
    [InlineData("execute", "Bash")]
    [InlineData("fetch", "WebFetch")]
    [InlineData("think", "think")]
    [InlineData("none", "other")]
    public async Task APermissionQuestion_IsAskedUnderThePlueToolOfTheCallsKind(string kind, string tool)
    {
        var client = Client(approver: (request, _) =>
        {
            lock (_asked) _asked.Add(request);
            return Task.FromResult(ToolApprovalDecision.Allow);
        });

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, $"permission kind={kind}")], Chat("chat-1"));

        Assert.Equal(tool, _asked.Single().Tool);
        Assert.Equal("outcome=selected:yes", response.Text);
    }

    [Fact]
    public async Task APermissionQuestion_WithNoApprover_IsRefused_AndWithNoFittingOption_IsCancelled()
    {
        var refused = await TurnAsync(Client(), "permission please");
        var noReject = await TurnAsync(Client(approver: (_, _) => Task.FromResult(ToolApprovalDecision.Deny("no"))), "permission please, no reject", "chat-2");

        Assert.Equal("outcome=selected:no", Text(refused));
        Assert.Equal("outcome=cancelled:", Text(noReject));
    }

    [Fact]
    public async Task AQuestionWaitingOnTheUser_IsNotSilence_EvenPastTheRequestTimeout()
    {
        // The silence allowed is long enough for a loaded machine's node to send the question, and the user takes longer.
        var client = Client(Connection(timeoutMs: 2_000), approver: async (_, cancellationToken) =>
        {
            await Task.Delay(5_000, cancellationToken);
            return ToolApprovalDecision.Allow;
        });

        var updates = await TurnAsync(client, "permission please");

        Assert.Equal("outcome=selected:yes", Text(updates));
    }

    [Fact]
    public async Task TheAgentsFileRequests_AreServedInsideTheWorkspace_AndRefusedOutsideIt()
    {
        var inside = Path.Combine(_dir.Path, "src", "a.txt");
        var outside = Path.Combine(Path.GetTempPath(), $"plue-acp-outside-{Guid.NewGuid():N}.txt");

        var served = await TurnAsync(Client(), $"files {inside}");
        var escaped = await TurnAsync(Client(), $"files {outside}", "chat-2");
        var none = await TurnAsync(Client(files: false), $"files {inside}", "chat-3");

        Assert.Equal("written=ok read=\"line two\"", Text(served));
        Assert.Equal("line one\nline two\n", File.ReadAllText(inside));
        Assert.False(File.Exists(outside));
        Assert.Contains("outside", Text(escaped), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("written=Plue serves no files to this agent: use your own file tools. read=Plue serves no files to this agent: use your own file tools.", Text(none));
    }

    [Fact]
    public async Task AnAgentExitingMidTurn_KeepsWhatStreamed_SaysItsExitCodeAndStderr_AndTheNextTurnStartsANewAgentWithTheTranscript()
    {
        var client = Client();
        var updates = new List<ChatResponseUpdate>();
        var history = new List<ChatMessage> { new(ChatRole.User, "exit now") };

        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(history, Chat("chat-1"))) updates.Add(update);
        });
        history.Add(new ChatMessage(ChatRole.Assistant, "Partial answer"));
        history.Add(new ChatMessage(ChatRole.User, "echo back"));
        var next = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(history, Chat("chat-1"))) next.Add(update);

        Assert.Equal("Partial answer", Text(updates));
        Assert.Equal(ProviderErrorKind.StreamCut, error.Kind);
        Assert.Equal("The ACP agent 'Scripted agent' exited in the middle of a turn (exit code 3): first line | fatal: out of memory. Its answer so far is kept; send again to start it anew.",
            error.Message);
        Assert.StartsWith("prompt=Earlier in this conversation:\n\nUser: exit now\n\nAssistant: Partial answer\n\nNow: echo back|", Text(next));
    }

    [Fact]
    public async Task AnAgentFailingTheTurn_IsAServerError_AndTheAgentStays()
    {
        var client = Client();

        var error = await Assert.ThrowsAsync<ProviderException>(() => TurnAsync(client, "fail the turn"));
        var next = await TurnAsync(client, "echo still here");

        Assert.Equal(ProviderErrorKind.ServerError, error.Kind);
        Assert.Equal("The ACP agent 'Scripted agent' failed the turn: model overloaded", error.Message);
        Assert.StartsWith("prompt=echo still here|", Text(next));
    }

    [Fact]
    public async Task AnAgentSilentPastTheRequestTimeout_IsStopped_WithATimeoutThatSaysWhatToDo()
    {
        var client = Client(Connection(timeoutMs: 1_000));

        var error = await Assert.ThrowsAsync<ProviderException>(() => TurnAsync(client, "go silent"));

        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.Equal("The ACP agent 'Scripted agent' sent nothing for 1 s and was stopped; its answer so far is kept. Send again, or raise the instance's request timeout.",
            error.Message);
        Assert.Equal(0, _sessions.LiveProcesses);
    }

    /// <summary>Runs a turn and stops it (as the user's Stop does) once the agent has said it is working.</summary>
    private static async Task<List<ChatResponseUpdate>> StoppedTurnAsync(IChatClient client, string text)
    {
        var updates = new List<ChatResponseUpdate>();
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, text)], Chat("chat-1"), stop.Token))
            {
                updates.Add(update);
                if (Text(updates) == "Working.") await stop.CancelAsync();
            }
        });
        return updates;
    }

    [Fact]
    public async Task StoppingATurn_SendsSessionCancel_AndTheAgentThatEndsItStaysForTheNextTurn()
    {
        var client = Client();

        var stopped = await StoppedTurnAsync(client, "wait for cancel");
        var alive = _sessions.LiveProcesses;
        var next = await TurnAsync(client, "echo after the stop");

        Assert.Equal("Working.", Text(stopped));
        Assert.Equal(1, alive);
        Assert.StartsWith("prompt=echo after the stop|", Text(next));
    }

    [Fact]
    public async Task StoppingATurn_OfAnAgentThatIgnoresTheCancel_KillsItAfterTheGrace_AndTheNextTurnStartsANewOne()
    {
        var client = Client();

        var stopped = await StoppedTurnAsync(client, "wait for cancel, ignore it");
        var alive = _sessions.LiveProcesses;
        var next = await TurnAsync(client, "plain again");

        Assert.Equal("Working.", Text(stopped));
        Assert.Equal(0, alive);
        Assert.Equal("Hello from the agent.", Text(next));
    }

    [Theory]
    [InlineData("exit", 30_000, ProviderErrorKind.StreamCut, "The ACP agent 'Scripted agent' exited while starting (exit code 7): scripted agent: cannot start, no config. Its answer so far is kept; send again to start it anew.")]
    [InlineData("refuse", 30_000, ProviderErrorKind.BadRequest, "The ACP agent 'Scripted agent' refused to start a session: no model configured")]
    [InlineData("silent", 1_500, ProviderErrorKind.Timeout, "The ACP agent 'Scripted agent' did not start a session within 1 s: check its command in the instance, or raise its first-byte timeout.")]
    public async Task AnAgentThatDoesNotStart_SaysWhyAndWhatToDo(string start, int firstByteMs, ProviderErrorKind kind, string message)
    {
        var client = Client(Connection(start, firstByteMs: firstByteMs));

        var error = await Assert.ThrowsAsync<ProviderException>(() => TurnAsync(client, "hello"));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(message, error.Message);
        Assert.Equal(0, _sessions.LiveProcesses);
    }

    [Fact]
    public async Task AnInstanceWithNoProgram_OrOneThatIsNotInstalled_SaysToFixItsProgram()
    {
        var none = await Assert.ThrowsAsync<ProviderException>(() => TurnAsync(Client(Connection() with { CliPath = null }), "hello"));
        var missing = await Assert.ThrowsAsync<ProviderException>(() =>
            TurnAsync(Client(Connection() with { CliPath = Path.Combine(_dir.Path, "no-such-agent") }), "hello", "chat-2"));

        Assert.Equal(ProviderErrorKind.BadRequest, none.Kind);
        Assert.Equal("The ACP agent instance 'Scripted agent' names no command: edit it and set its program (for example claude-code-acp).", none.Message);
        Assert.Equal(ProviderErrorKind.Unreachable, missing.Kind);
        Assert.StartsWith($"The ACP agent 'Scripted agent' could not be started ({Path.Combine(_dir.Path, "no-such-agent")}: ", missing.Message);
        Assert.EndsWith("install it or fix the instance's program path.", missing.Message);
    }

    [Fact]
    public async Task ClosingAConversation_EndsItsAgent()
    {
        var client = Client();
        await TurnAsync(client, "plain");

        await _sessions.CloseAsync("chat-1");
        await _sessions.CloseAsync("never-opened");

        Assert.Equal(0, _sessions.LiveProcesses);
    }

    public async ValueTask DisposeAsync()
    {
        await _sessions.DisposeAsync();
        _dir.Dispose();
    }
}
