using Microsoft.Extensions.AI;
using Plue.Providers;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers.ClaudeCode;
using Plue.Tests.Providers.ClaudeCode;
using Plue.Tests.Sessions;
using Plue.Transcripts;

namespace Plue.Tests.Transcripts;

/// <summary>
/// A recorded claude CLI turn (tests/fixtures/claude-code/streamed-turn.jsonl, replayed by <see cref="ReplayCli"/>) streamed
/// into a transcript by the sidecar's own <see cref="TranscriptTurns"/>: what the message keeps of it.
/// </summary>
public sealed class ClaudeCodeTranscriptTests : IAsyncLifetime
{
    private const string Model = "claude-sonnet-4-5";
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Turn_KeepsReasoningToolTrafficAndText_InOrder_WithTheReportedCost_AndTheCacheWrites()
    {
        using var cli = new ReplayCli(ReplayCli.Fixture("streamed-turn.jsonl"));
        var connection = new ProviderConnection
        {
            InstanceId = "replay", ProviderType = "claude-code", CatalogProviderId = "claude-code", CliPath = cli.Path,
            FirstByteTimeoutMs = 10_000, TimeoutMs = 10_000,
        };
        using var client = new ClaudeCodeChatClient(connection, new ClaudeCodeChatClientOptions { WorkingDirectory = _world.Workspace });
        var turns = _world.Service<TranscriptTurns>();
        var answer = turns.StartAnswer("claude-chat", connection, Model);

        var final = await turns.StreamAnswerAsync(answer, connection, client, [new(ChatRole.User, "What does the build use?")],
            new ChatOptions { ConversationId = "claude-chat", ModelId = Model }, CancellationToken.None);
        await client.Sessions.CloseAsync("claude-chat");

        Assert.Equal(MessageStatus.Complete, final.Status);
        Assert.Equal(final.Parts.Count, _world.Service<MessageStore>().Message(answer.Id)!.Parts.Count);
        var stored = _world.Service<MessageStore>().Message(answer.Id)!;
        Assert.Equal([PartKind.Reasoning, PartKind.Text, PartKind.ToolUse, PartKind.ToolResult, PartKind.Text, PartKind.Step], stored.Parts.Select(p => p.Kind));
        var reasoning = Assert.IsType<ReasoningPart>(stored.Parts[0]);
        Assert.Equal(("The user wants the file read.", "EqQBCkYIBxgCKkA"), (reasoning.Text, reasoning.Signature));
        Assert.Equal("Reading it now.", Assert.IsType<TextPart>(stored.Parts[1]).Text);
        var use = Assert.IsType<ToolUsePart>(stored.Parts[2]);
        Assert.Equal(("toolu_01R", "Read", ToolState.Completed), (use.ToolCallId, use.Name, use.State));
        Assert.Equal("/tmp/ws/notes.txt", use.Input!["file_path"]!.GetValue<string>());
        var result = Assert.IsType<ToolResultPart>(stored.Parts[3]);
        Assert.Equal(("toolu_01R", "     1\tThe build uses make.\n", false), (result.ToolCallId, result.Output, result.IsError));
        Assert.Equal("It uses make.", Assert.IsType<TextPart>(stored.Parts[4]).Text);

        // The CLI prices its own turns; its cache writes (cache_creation_input_tokens) are counted like every backend's.
        Assert.Equal(0.0213m, stored.CostUsd);
        Assert.Equal(new TokenUsage { Input = 2535, Output = 46, CacheRead = 2400, CacheWrite = 120 }, stored.Usage);
        var step = Assert.IsType<StepPart>(stored.Parts[5]);
        Assert.Equal((stored.Usage, 0.0213m, Model, "stop"), (step.Usage, step.CostUsd!.Value, step.Model, step.FinishReason));
        Assert.Equal((CostSource.Provider, CostSource.Provider), (stored.CostSource, step.CostSource));
        Assert.Equal(120, _world.Service<MessageStore>().Totals("claude-chat").Spent.Usage.CacheWrite);
    }

    [Fact]
    public async Task Turn_ToolResultTheCliMarksAnError_IsStoredAsFailedNotCompleted()
    {
        var lines = ReplayCli.Fixture("streamed-turn.jsonl").Select(line => line.Contains("\"tool_result\"")
            ? line.Replace("\"type\":\"tool_result\",", "\"type\":\"tool_result\",\"is_error\":true,") : line).ToList();
        Assert.Contains(lines, line => line.Contains("\"is_error\":true,\"content\""));
        using var cli = new ReplayCli(lines);
        var connection = new ProviderConnection
        {
            InstanceId = "replay", ProviderType = "claude-code", CatalogProviderId = "claude-code", CliPath = cli.Path,
            FirstByteTimeoutMs = 10_000, TimeoutMs = 10_000,
        };
        using var client = new ClaudeCodeChatClient(connection, new ClaudeCodeChatClientOptions { WorkingDirectory = _world.Workspace });
        var turns = _world.Service<TranscriptTurns>();
        var answer = turns.StartAnswer("claude-failed-tool", connection, Model);

        await turns.StreamAnswerAsync(answer, connection, client, [new(ChatRole.User, "Read it.")],
            new ChatOptions { ConversationId = "claude-failed-tool", ModelId = Model }, CancellationToken.None);
        await client.Sessions.CloseAsync("claude-failed-tool");

        var stored = _world.Service<MessageStore>().Message(answer.Id)!;
        Assert.Equal(ToolState.Error, stored.Parts.OfType<ToolUsePart>().Single().State);
        Assert.True(stored.Parts.OfType<ToolResultPart>().Single().IsError);
    }
}
