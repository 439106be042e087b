using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Plue.Codex.Records;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Store;

namespace Plue.Sessions;

/// <summary>
/// <c>session/search</c>: chats and tasks found by their titles and their messages' text through the store's FTS5 index
/// (<see cref="SearchIndex"/>), kept to an instance, a tag, a mode, a kind and a span of dates, sorted by relevance or
/// by their last change. Each word the user typed is a prefix ("pars" finds "parser"), and all of them must be in one
/// message or in the title.
/// </summary>
public sealed partial class SessionSearch(Database database, CodexService codex, ChatKind kind, InstanceService instances, ChatModes modes)
{
    /// <summary>The template every task inherits from (the Agents layer's <c>TaskFields.BaseTemplate</c>).</summary>
    private const string TaskTemplate = "task";
    /// <summary>A task's provider instance field (the Agents layer's <c>TaskFields.ProviderRef</c>).</summary>
    private const string TaskProviderField = "provider_ref";
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;
    /// <summary>How many index matches are read before they are grouped by chat or task.</summary>
    private const int MaxMatches = 5000;

    public SessionSearchResult Search(SessionSearchParams request)
    {
        var limit = request.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit) throw RpcException.InvalidParams($"limit: ask for 1 to {MaxLimit} results");
        var from = Date(request.From, "from", endOfDay: false);
        var to = Date(request.To, "to", endOfDay: true);
        var match = FtsQuery(request.Query);
        var found = new Dictionary<string, Found>(StringComparer.Ordinal);
        IEnumerable<CodexRecord> candidates;
        if (match is null)
        {
            candidates = codex.List(new CodexQuery { TemplateIds = [SessionService.TemplateId, TaskTemplate], Limit = 1000 }).Items;
        }
        else
        {
            ReadMatches(match, found);
            candidates = found.Keys.Select(Find).OfType<CodexRecord>();
        }
        var sort = request.Sort ?? (match is null ? SearchSort.Newest : SearchSort.Relevance);
        // Without words the records come newest first: the newest ones the filters keep are the answer.
        var enough = match is null && sort != SearchSort.Oldest;
        var hits = new List<(SearchHit Hit, double Score)>();
        foreach (var record in candidates)
        {
            if (enough && hits.Count == limit) break;
            var isChat = codex.IsA(record, SessionService.TemplateId);
            if (!isChat && !codex.IsA(record, TaskTemplate)) continue;
            var hitKind = isChat ? SearchHitKind.Chat : SearchHitKind.Task;
            if (request.Kind is { } wanted && wanted != hitKind) continue;
            if (request.Tag is { Length: > 0 } tag && !record.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase)) continue;
            if (from is { } f && record.UpdatedAt < f) continue;
            if (to is { } t && record.UpdatedAt > t) continue;
            var mode = isChat ? ChatRecordFields.Of(record.Fields).Mode : null;
            if (request.Mode is { Length: > 0 } wantedMode && mode != wantedMode) continue;
            var instanceId = InstanceOf(record, isChat);
            if (request.InstanceId is { Length: > 0 } wantedInstance && instanceId != wantedInstance) continue;
            found.TryGetValue(record.Id, out var matched);
            hits.Add((new SearchHit
            {
                Id = record.Id,
                Kind = hitKind,
                Title = record.Title,
                Snippet = matched?.Snippet,
                MessageId = matched?.MessageId,
                TitleMatched = matched?.TitleRank is not null ? true : null,
                InstanceId = instanceId,
                InstanceName = instanceId is null ? null : InstanceName(instanceId),
                ModelId = isChat ? ChatRecordFields.Of(record.Fields).ModelId : record.Fields[Agents.TaskModelField]?.GetValue<string>(),
                Mode = mode,
                ModeName = mode is null ? null : modes.Find(mode)?.Name,
                Tags = record.Tags,
                Status = record.Status,
                UpdatedAt = record.UpdatedAt,
            }, matched?.Score ?? 0));
        }
        IEnumerable<(SearchHit Hit, double Score)> ordered = sort switch
        {
            SearchSort.Oldest => hits.OrderBy(h => h.Hit.UpdatedAt),
            SearchSort.Newest => hits.OrderByDescending(h => h.Hit.UpdatedAt),
            _ => hits.OrderBy(h => h.Score).ThenByDescending(h => h.Hit.UpdatedAt),
        };
        return new SessionSearchResult { Hits = [.. ordered.Take(limit).Select(h => h.Hit)] };
    }

    /// <summary>The words of what the user typed as an FTS5 query: each quoted (so no word is an operator) and a prefix; null without words.</summary>
    internal static string? FtsQuery(string? text)
    {
        var words = Words().Matches(text ?? "").Select(m => m.Value).Take(16).ToList();
        return words.Count == 0 ? null : string.Join(' ', words.Select(w => $"\"{w}\"*"));
    }

    private void ReadMatches(string match, Dictionary<string, Found> found)
    {
        using var connection = database.Open();
        using (var titles = connection.CreateCommand())
        {
            titles.CommandText = "SELECT codex_id, bm25(title_search) FROM title_search WHERE title_search MATCH $q ORDER BY rank LIMIT $n";
            titles.Parameters.AddWithValue("$q", match);
            titles.Parameters.AddWithValue("$n", MaxMatches);
            using var reader = titles.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetString(0);
                if (!found.ContainsKey(id)) found[id] = new Found { TitleRank = reader.GetDouble(1) };
            }
        }
        using var content = connection.CreateCommand();
        content.CommandText = "SELECT session_id, message_id, snippet(transcript_search, 0, '', '', '…', 16), bm25(transcript_search) " +
            "FROM transcript_search WHERE transcript_search MATCH $q ORDER BY rank LIMIT $n";
        content.Parameters.AddWithValue("$q", match);
        content.Parameters.AddWithValue("$n", MaxMatches);
        using var rows = content.ExecuteReader();
        while (rows.Read())
        {
            var id = rows.GetString(0);
            found.TryGetValue(id, out var seen);
            if (seen?.Snippet is not null) continue; // the best message of this chat is in already
            found[id] = (seen ?? new Found()) with { MessageId = rows.GetString(1), Snippet = OneLine(rows.GetString(2)), ContentRank = rows.GetDouble(3) };
        }
    }

    private CodexRecord? Find(string id)
    {
        try
        {
            return codex.Get(id);
        }
        catch (RpcException e) when (e.Code == PlueErrorCodes.NotFound)
        {
            return null; // a transcript whose record was deleted
        }
    }

    private string? InstanceOf(CodexRecord record, bool isChat)
    {
        try
        {
            if (isChat) return kind.InstanceId(record);
            return record.Fields[TaskProviderField]?.GetValue<string>() is { Length: > 0 } reference ? kind.InstanceIdOf(reference) : null;
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or FormatException)
        {
            return null; // its instance is gone: it is still found, on no instance
        }
    }

    private string? InstanceName(string id)
    {
        try
        {
            return instances.Get(id).DisplayName;
        }
        catch (RpcException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Date(string? text, string field, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(endOfDay ? TimeOnly.MaxValue : TimeOnly.MinValue), TimeSpan.Zero);
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)) return moment;
        throw RpcException.InvalidParams($"{field}: '{text}' is not a date; write it as 2026-11-25 or 2026-11-25T14:30:00Z");
    }

    /// <summary>The snippet on one line: the matching line and its neighbours read as one.</summary>
    private static string OneLine(string snippet) => Whitespace().Replace(snippet, " ").Trim();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Words();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private sealed record Found
    {
        public double? TitleRank { get; init; }
        public double? ContentRank { get; init; }
        public string? MessageId { get; init; }
        public string? Snippet { get; init; }

        /// <summary>FTS5's bm25 (lower is better); a matching title counts twice.</summary>
        public double Score => (TitleRank ?? 0) * 2 + (ContentRank ?? 0);
    }

    private static class Agents
    {
        /// <summary>A task's model field (the Agents layer's <c>TaskFields.ModelId</c>).</summary>
        public const string TaskModelField = "model_id";
    }
}
