using Plue.Protocol;

namespace Plue.Transcripts;

/// <summary>
/// The live transcripts turns read lately, each as of a version of the store's: a turn on a long chat reads that
/// version (one row) and the messages changed since it, not the whole history again. Every write, this process's or
/// another's, moves the version in its own transaction (the store's triggers), so nothing has to tell the cache of
/// an edit, a regenerate or another window's turn. The few most recently used transcripts are kept.
/// </summary>
internal sealed class TranscriptCache
{
    public const int Capacity = 4;

    /// <summary>A transcript's live messages in order, as they were at <paramref name="Version"/>; never changed once made.</summary>
    public sealed record Entry(long Version, IReadOnlyList<SessionMessage> Messages);

    private readonly object _gate = new();
    private readonly LinkedList<(string SessionId, Entry Entry)> _recent = [];

    public Entry? Find(string sessionId)
    {
        lock (_gate)
        {
            for (var node = _recent.First; node is not null; node = node.Next)
            {
                if (node.Value.SessionId != sessionId) continue;
                _recent.Remove(node);
                _recent.AddFirst(node);
                return node.Value.Entry;
            }
            return null;
        }
    }

    /// <summary>Keeps the transcript as of <paramref name="version"/> unless a newer one is already kept; returns what is kept.</summary>
    public Entry Put(string sessionId, long version, IReadOnlyList<SessionMessage> messages)
    {
        var entry = new Entry(version, messages);
        lock (_gate)
        {
            for (var node = _recent.First; node is not null; node = node.Next)
            {
                if (node.Value.SessionId != sessionId) continue;
                if (node.Value.Entry.Version > version) return entry; // a later reader got there first: keep its newer copy
                _recent.Remove(node);
                break;
            }
            _recent.AddFirst((sessionId, entry));
            if (_recent.Count > Capacity) _recent.RemoveLast();
        }
        return entry;
    }

    /// <summary>
    /// The live transcript after <paramref name="changed"/> (messages as they are now, superseded ones included, in
    /// order of seq): each replaces the message of its seq, a superseded one leaves, a new one joins in its place.
    /// </summary>
    public static List<SessionMessage> Merge(IReadOnlyList<SessionMessage> live, List<SessionMessage> changed)
    {
        var merged = new List<SessionMessage>(live.Count + changed.Count);
        merged.AddRange(live);
        foreach (var message in changed)
        {
            var at = merged.BinarySearch(message, s_bySeq);
            var gone = message.Status == MessageStatus.Superseded;
            if (at >= 0 && gone) merged.RemoveAt(at);
            else if (at >= 0) merged[at] = message;
            else if (!gone) merged.Insert(~at, message);
        }
        return merged;
    }

    private static readonly Comparer<SessionMessage> s_bySeq = Comparer<SessionMessage>.Create((a, b) => a.Seq.CompareTo(b.Seq));
}
