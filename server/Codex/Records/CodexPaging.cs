using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Records;

/// <summary>
/// How a list method reads the store: a page a client asked for (a limit of 1 to 1000), or every record, page after
/// page: never one page passed off as the whole list.
/// </summary>
public static class CodexPaging
{
    public const int MaxLimit = 1000;

    /// <summary>The page size for a client's <paramref name="limit"/> (absent: the largest); refused outside 1 to 1000.</summary>
    public static int Limit(int? limit) => limit switch
    {
        null => MaxLimit,
        < 1 or > MaxLimit => throw RpcException.InvalidParams($"limit must be 1 to {MaxLimit} (got {limit}); leave it out for every record"),
        _ => limit.Value,
    };

    /// <summary>One page of <paramref name="query"/>, or with <paramref name="all"/> every page after it.</summary>
    public static IReadOnlyList<CodexRecord> Read(Func<CodexQuery, CodexPage> list, CodexQuery query, bool all)
    {
        var page = list(query);
        if (!all || page.NextCursor is null) return page.Items;
        var records = new List<CodexRecord>(page.Items);
        while (page.NextCursor is { } cursor)
        {
            page = list(query with { Cursor = cursor, AfterId = null });
            records.AddRange(page.Items);
        }
        return records;
    }
}
