using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Plue.Catalog;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;
using Plue.Transcripts;

namespace Plue.Sessions;

/// <summary>
/// A chat's title from its first exchange. At once, the first line of the question (<see cref="FromQuestion"/>); after the
/// first answer, a few words the model that answered (the chat's own, or the fallback that took the turn) sums the exchange up in, when that is cheap: a priced or local HTTP
/// model, one short call without tools, bounded in tokens and time. The call is not a chat message; its cost is
/// kept as a hidden answer of the chat, so the chat's spend counts it. A title the user changed meanwhile is kept.
/// </summary>
public sealed partial class ChatTitles(SessionService sessions, MessageStore messages, InstanceResolver resolver, IChatClientFactory clients,
    CatalogStore catalog, SessionEvents events, ILogger<ChatTitles> logger)
{
    public const int MaxWords = 6;
    private const int MaxTokens = 24;
    /// <summary>Where the title call's record sits: before the first message, where no turn writes (seq counts up from 0).</summary>
    internal const int TitleSeq = -1;
    private const string Instructions =
        "Write a title of at most six words for the conversation below. Answer with the title only: no quotes, no full stop.";

    /// <summary>How long the title call may take before the question's first line stays the title.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>The question's first line, trimmed, as a title.</summary>
    public static string FromQuestion(string text)
    {
        var line = text.Trim().Split('\n')[0].Trim();
        return line.Length <= 60 ? line : line[..57].TrimEnd() + "…";
    }

    /// <summary>
    /// Asks the chat's model for a title of its first exchange and renames the chat, unless its title is no longer
    /// <paramref name="provisional"/> (the user renamed it). Never throws: the provisional title stays on any failure.
    /// </summary>
    public async Task SummariseAsync(string sessionId, string provisional, CancellationToken cancellationToken)
    {
        try
        {
            var record = sessions.Record(sessionId);
            if (record.Title != provisional) return;
            var exchange = messages.Messages(sessionId);
            if (exchange.Count < 2 || messages.Message(TitleMessageId(exchange)) is not null) return;
            // Asked of the instance that wrote the answer: after a fallback took the turn, the chat's own instance may be
            // the one refusing (a 429 storm), and a title request there would cost it requests beyond the turn's. The
            // chat's own answer keeps the chat's model id: the stored one may be the name the provider reported.
            var instanceId = sessions.InstanceId(record);
            var byFallback = exchange[1].InstanceId is { } answeredBy && answeredBy != instanceId;
            if ((byFallback ? exchange[1].ModelId : sessions.ModelId(record)) is not { } modelId) return;
            var connection = resolver.Resolve(byFallback ? exchange[1].InstanceId! : instanceId);
            if (!Cheap(connection, modelId)) return;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var options = new ChatOptions { ModelId = modelId, MaxOutputTokens = MaxTokens, Instructions = Instructions, ConversationId = $"{sessionId}:title" };
            var client = clients.Create(connection, options.ConversationId);
            var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, Conversation(exchange))], options, timeout.Token).ConfigureAwait(false);
            Record(sessionId, exchange, connection, modelId, response);
            if (Clean(response.Text) is { } title && sessions.Retitle(sessionId, provisional, title) is not null)
                await events.SessionChangedAsync(sessionId).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogTitleFailed(sessionId, e.Message);
        }
    }

    /// <summary>A model whose call costs a known price (or nothing) and returns quickly: an HTTP backend, not the claude CLI, an ACP agent or VS Code's models.</summary>
    private bool Cheap(ProviderConnection connection, string modelId) =>
        connection.ProviderType is not (ProviderTypes.ClaudeCode or ProviderTypes.AcpAgent or ProviderTypes.VsCodeLm)
        && TurnCost.Expected(catalog, connection, modelId) is CostSource.Catalog or CostSource.Local;

    /// <summary>The first question and answer as plain text, each cut short: a title needs the gist, not the whole.</summary>
    private static string Conversation(List<SessionMessage> exchange)
    {
        static string Text(SessionMessage m) => string.Concat(m.Parts.OfType<TextPart>().Select(p => p.Text)) is var t && t.Length > 2000 ? t[..2000] + "…" : t;
        return $"User: {Text(exchange[0])}\n\nAssistant: {Text(exchange[1])}";
    }

    /// <summary>The title the model wrote, at most <see cref="MaxWords"/> words, without quotes or closing punctuation; null when empty.</summary>
    internal static string? Clean(string? text)
    {
        var line = (text ?? "").Trim().Split('\n')[0].Trim().Trim('"', '\'', '`', '*', '#', ' ');
        if (line.StartsWith("Title:", StringComparison.OrdinalIgnoreCase)) line = line[6..].Trim();
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(MaxWords);
        var title = string.Join(' ', words).TrimEnd('.', '!', '?', ':', ';', ',', '"', '\'');
        return title.Length == 0 ? null : title.Length <= 60 ? title : title[..57].TrimEnd() + "…";
    }

    /// <summary>The call's usage and cost as a hidden (superseded) answer: the chat's totals count it, its transcript does not show it.</summary>
    private void Record(string sessionId, List<SessionMessage> exchange, ProviderConnection connection, string modelId, ChatResponse response)
    {
        // A backend that reports no usage leaves the call's cost unknown, never $0.
        var usage = response.Usage is { } reported ? UsageMapping.From(reported) : new TokenUsage();
        var (usd, source) = response.Usage is null ? (null, CostSource.Unknown) : TurnCost.Compute(catalog, connection, modelId, usage);
        messages.InsertMessage(new SessionMessage
        {
            Id = TitleMessageId(exchange),
            SessionId = sessionId,
            Seq = TitleSeq,
            Role = MessageRole.Assistant,
            Status = MessageStatus.Superseded,
            Parts = [new TextPart { Id = TranscriptIds.New(), Text = $"Title: {response.Text}" }],
            ModelId = modelId,
            InstanceId = connection.InstanceId,
            CreatedAt = DateTimeOffset.UtcNow,
        }, owner: null);
        messages.Finish(TitleMessageId(exchange), MessageStatus.Superseded, null, usage, usd, source, modelId);
    }

    /// <summary>The title call's record is named after the chat's first message: one per chat, even when asked twice.</summary>
    private static string TitleMessageId(List<SessionMessage> exchange) => $"{exchange[0].Id}-title";

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat {SessionId} keeps its first question as its title: {Reason}")]
    private partial void LogTitleFailed(string sessionId, string reason);
}
