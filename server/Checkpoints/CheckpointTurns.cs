using Plue.Protocol;

namespace Plue.Checkpoints;

/// <summary>Log entries folded into turns: consecutive changes of one owner under one user message, or one restore.</summary>
internal static class CheckpointTurns
{
    /// <summary>A turn as the store needs it: its id (its first change's), trees at both ends, and its entries.</summary>
    public sealed record Span(string Id, string Before, string After, List<CheckpointEntry> Entries);

    public static IEnumerable<Checkpoint> Of(List<CheckpointEntry> entries) => Spans(entries).Select(ToCheckpoint);

    public static Span? Find(List<CheckpointEntry> entries, string id) => Spans(entries).FirstOrDefault(s => s.Id == id);

    /// <summary>The path of a logged file (<c>"M src/a.ts"</c>).</summary>
    public static string PathOf(string file) => file[2..];

    private static IEnumerable<Span> Spans(List<CheckpointEntry> entries)
    {
        Span? open = null;
        foreach (var entry in entries)
        {
            if (open is { } span && entry.Kind == CheckpointStore.Turn && span.Entries[0].Kind == CheckpointStore.Turn
                && span.Entries[0].Owner == entry.Owner && span.Entries[0].MessageId == entry.MessageId)
            {
                span.Entries.Add(entry);
                open = span with { After = entry.After };
                continue;
            }
            if (open is not null) yield return open;
            open = new Span(entry.Id, entry.Before, entry.After, [entry]);
        }
        if (open is not null) yield return open;
    }

    private static Checkpoint ToCheckpoint(Span span)
    {
        // A file's net change over the turn: added then changed is added; added then deleted is gone.
        var net = new SortedDictionary<string, CheckpointChange?>(StringComparer.Ordinal);
        foreach (var file in span.Entries.SelectMany(e => e.Files))
        {
            var change = file[0] switch { 'A' => CheckpointChange.Added, 'D' => CheckpointChange.Deleted, _ => CheckpointChange.Modified };
            var path = PathOf(file);
            net[path] = net.TryGetValue(path, out var was) switch
            {
                false => change,
                true when was == CheckpointChange.Added => change == CheckpointChange.Deleted ? null : CheckpointChange.Added,
                true when was is null => change == CheckpointChange.Deleted ? null : CheckpointChange.Added,
                true when was == CheckpointChange.Deleted => change == CheckpointChange.Added ? CheckpointChange.Modified : change,
                _ => change == CheckpointChange.Deleted ? CheckpointChange.Deleted : CheckpointChange.Modified,
            };
        }
        var files = net.Where(kv => kv.Value is not null).Select(kv => new CheckpointFile { Path = kv.Key, Change = kv.Value!.Value }).ToList();
        var first = span.Entries[0];
        return new Checkpoint
        {
            Id = span.Id,
            SessionId = first.Owner,
            MessageId = first.MessageId,
            Kind = first.Kind,
            Files = files,
            Added = files.Count(f => f.Change == CheckpointChange.Added),
            Modified = files.Count(f => f.Change == CheckpointChange.Modified),
            Deleted = files.Count(f => f.Change == CheckpointChange.Deleted),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(first.At),
        };
    }
}
