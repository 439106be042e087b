using System.Text;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers;
using Plue.Rpc;

namespace Plue.Transcripts;

/// <summary>
/// Compacts a transcript, a chat's or a task's: a model summarises the conversation so far, and the summary (with the
/// goal, the instructions, files touched and unresolved tool results kept verbatim by the sidecar, not left to the
/// model) is stored as a message of its own. Later requests send it and what follows (<see cref="TranscriptReplay.Ended"/>);
/// every message stays in the store, pageable as before.
/// </summary>
public sealed class TranscriptCompaction
{
    /// <summary>The share of the context window a turn may fill before the conversation is compacted, unless its record says otherwise.</summary>
    public const int DefaultPercent = 85;
    private const int MaxVerbatimChars = 16_000;
    private const string Ask = "Summarise the conversation above for yourself, to go on with it after the earlier messages are gone. "
        + "Keep what was decided and why, what is still open or undecided, what was tried and failed, names, numbers, paths and code that "
        + "matter. Write it as notes, without a preamble. The goal, the instructions, the files touched and unanswered tool results are kept "
        + "verbatim beside your notes: do not repeat them.";

    private readonly MessageStore _messages;
    private readonly TranscriptEvents _events;
    private readonly CatalogStore _catalog;
    private readonly IChatClientFactory _clients;

    internal TranscriptCompaction(MessageStore messages, TranscriptEvents events, CatalogStore catalog, IChatClientFactory clients)
    {
        _messages = messages;
        _events = events;
        _catalog = catalog;
        _clients = clients;
    }

    /// <summary>
    /// Whether sending the conversation (with <paramref name="adding"/>, the next message) would pass
    /// <paramref name="percent"/>% of <paramref name="window"/>: the larger of the latest reported prompt and an estimate.
    /// </summary>
    public bool Due(string transcriptId, string? instructions, string? adding, int? window, int? percent)
    {
        if (window is not { } tokens || tokens <= 0 || percent >= 100) return false;
        var transcript = TranscriptReplay.Ended(_messages.Messages(transcriptId)).ToList();
        // A summary alone (with what was kept verbatim) is compacted no further: only what follows it can be.
        if (transcript.Count(m => TranscriptReplay.SummaryOf(m) is null) < 2) return false;
        var reported = transcript.LastOrDefault(m => m.Role == MessageRole.Assistant && m.Usage is { Estimated: false })?.Usage is { } last ? last.Input + last.Output : 0;
        var estimated = UsageEstimate.Of(ToolTranscript.Build(transcript), 0).Input;
        var extra = ((instructions?.Length ?? 0) + (adding?.Length ?? 0)) / 4;
        return Math.Max(reported, estimated) + extra >= (long)tokens * Math.Clamp(percent ?? DefaultPercent, 1, 100) / 100;
    }

    /// <summary>Summarises the transcript with <paramref name="modelId"/> on the connection and stores the summary; refused when there is nothing to compact.</summary>
    /// <param name="alsoKept">A section the caller keeps verbatim beside the goal (a task's sub-tasks and their results).</param>
    public async Task<SessionMessage> CompactAsync(string transcriptId, ProviderConnection connection, string modelId, string? instructions, string? focus,
        CancellationToken cancellationToken, (string Title, string Text)? alsoKept = null)
    {
        var all = _messages.Messages(transcriptId);
        var kept = TranscriptReplay.Ended(all).ToList();
        if (kept.Count < 2) throw RpcException.InvalidParams("There is nothing to compact yet: the conversation is a message or less since its start or its last summary");
        var history = ToolTranscript.Build(kept);
        history.Add(new ChatMessage(ChatRole.User, focus is { Length: > 0 } ? $"{Ask} Focus on: {focus}" : Ask));
        var options = new ChatOptions { ModelId = modelId, Instructions = instructions };
        var response = await _clients.Create(connection, $"{transcriptId}:compact").GetResponseAsync(history, options, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(response.Text)) throw PlueErrors.Conflict($"{modelId} wrote an empty summary; nothing was compacted. Try again, or name another model for compaction");

        // A backend that reports no usage leaves the call's cost unknown, never $0.
        var usage = response.Usage is { } reported ? UsageMapping.From(reported) : TokenUsage.Zero;
        var (usd, source) = response.Usage is null ? (null, CostSource.Unknown) : TurnCost.Compute(_catalog, connection, modelId, usage);
        var summary = new SummaryPart { Id = TranscriptIds.New(), Text = Compose(all, kept, instructions, alsoKept, response.Text), Messages = kept.Count, Focus = focus is { Length: > 0 } ? focus : null };
        var step = new StepPart { Id = TranscriptIds.New(), Usage = usage, CostUsd = usd, CostSource = source, Model = response.ModelId ?? modelId, FinishReason = "compacted" };
        var id = TranscriptIds.New();
        _messages.InsertMessage(new SessionMessage
        {
            Id = id, SessionId = transcriptId, Seq = _messages.NextSeq(transcriptId), Role = MessageRole.Assistant, Status = MessageStatus.Streaming,
            Parts = [summary, step], ModelId = modelId, InstanceId = connection.InstanceId, CreatedAt = DateTimeOffset.UtcNow,
        }, owner: null);
        _messages.Finish(id, MessageStatus.Complete, null, usage, usd, source, modelId);
        var stored = _messages.Message(id)!;
        await _events.MessageUpdatedAsync(stored).ConfigureAwait(false);
        return stored;
    }

    /// <summary>The summary as sent: what is kept verbatim (never left to a model to remember), then the model's notes.</summary>
    private static string Compose(List<SessionMessage> all, List<SessionMessage> kept, string? instructions, (string Title, string Text)? alsoKept, string notes)
    {
        var text = new StringBuilder("This conversation was compacted: its earlier messages are summarised here.\n\n");
        if (all.FirstOrDefault(m => m.Role == MessageRole.User && TranscriptReplay.SummaryOf(m) is null) is { } first)
            Section(text, "The goal (the first message, verbatim)", string.Join("\n\n", first.Parts.OfType<TextPart>().Select(p => p.Text)));
        if (instructions is { Length: > 0 }) Section(text, "The instructions (verbatim)", instructions);
        if (alsoKept is { Text.Length: > 0 } also) Section(text, also.Title, also.Text);
        var files = all.SelectMany(m => m.Parts).SelectMany(Paths).Distinct(StringComparer.Ordinal).ToList();
        if (files.Count > 0) Section(text, "Files touched", string.Join("\n", files.Select(f => "- " + f)));
        if (Unresolved(kept) is { Length: > 0 } results) Section(text, "Tool results not yet acted on (verbatim)", results);
        Section(text, "Notes on the conversation so far", notes.Trim());
        return text.ToString().TrimEnd();
    }

    private static void Section(StringBuilder text, string title, string body) =>
        text.Append("## ").Append(title).Append("\n\n").Append(body.Length > MaxVerbatimChars ? body[..MaxVerbatimChars] + "\n[…cut]" : body).Append("\n\n");

    private static IEnumerable<string> Paths(MessagePart part) => part switch
    {
        FilePart { Path: { Length: > 0 } path, MimeType: null } => [path],
        ToolUsePart { Input: System.Text.Json.Nodes.JsonObject input } => input.Where(p => p.Key is "path" or "file" or "file_path")
            .Select(p => p.Value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>(),
        _ => [],
    };

    /// <summary>The results of the latest tool calls when no answer has followed them yet (a task compacted between two calls).</summary>
    private static string Unresolved(List<SessionMessage> kept) =>
        kept.LastOrDefault() is { Role: MessageRole.Assistant } last && last.Parts.OfType<ToolResultPart>().Any()
            ? string.Join("\n\n", last.Parts.OfType<ToolResultPart>().Select(r => $"{r.Name ?? r.ToolCallId}: {r.Output}"))
            : "";
}
