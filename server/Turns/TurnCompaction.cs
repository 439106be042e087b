using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Providers;
using Plue.Transcripts;

namespace Plue.Turns;

/// <summary>
/// How an owner's conversation is compacted when it nears its model's context window (<see cref="TurnCompaction"/>).
/// </summary>
/// <param name="Window">The model's context window in tokens; null when unknown (never compacted).</param>
/// <param name="Percent">The share of the window a call may fill (the record's <c>compact_at_percent</c>); null: the default.</param>
/// <param name="ModelId">The model that writes the summary (the record's <c>compaction_model</c>, else the turn's).</param>
/// <param name="AlsoKept">A section kept verbatim beside the goal, read when the summary is written (a task's sub-tasks and their results).</param>
public sealed record CompactionRule(int? Window, int? Percent, string ModelId, Func<(string Title, string Text)?>? AlsoKept = null);

/// <summary>
/// Compaction for every turn, a chat's and a task's: before a model call that would pass the owner's share of its
/// model's context window, the conversation so far is summarised (<see cref="TranscriptCompaction"/>) and later calls
/// send the summary and what follows. A turn's new message is stored after the check, so it follows the summary; a
/// summary that fails leaves the conversation whole and the turn goes on.
/// </summary>
public sealed partial class TurnCompaction(TranscriptCompaction compaction, ILogger<TurnCompaction> logger)
{
    /// <summary>Compacts the transcript when the call (with <paramref name="adding"/>, the message about to be stored) would pass its share of the window.</summary>
    public async Task IfDueAsync(string transcriptId, ProviderConnection connection, CompactionRule? rule, string? instructions, IReadOnlyList<MessagePart>? adding,
        CancellationToken cancellationToken)
    {
        if (rule is null) return;
        var added = adding is null ? null : string.Concat(adding.Select(p => p switch { TextPart t => t.Text, FilePart { MimeType: null } f => f.Content, _ => null }));
        if (!compaction.Due(transcriptId, instructions, added, rule.Window, rule.Percent)) return;
        try
        {
            await compaction.CompactAsync(transcriptId, connection, rule.ModelId, instructions, null, cancellationToken, rule.AlsoKept?.Invoke()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCompactionFailed(transcriptId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {TranscriptId} was not compacted ({Reason}); the turn goes on with the whole conversation")]
    private partial void LogCompactionFailed(string transcriptId, string reason);
}
