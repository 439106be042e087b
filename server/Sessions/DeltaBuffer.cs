namespace Plue.Sessions;

/// <summary>
/// Collects streamed text and writes it in small batches, so a turn costs one SQLite
/// write per interval rather than per token, and a crash loses at most one interval.
/// </summary>
public sealed class DeltaBuffer : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly MessageStore _store;
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private List<(string PartId, string Delta)> _pending = [];

    public DeltaBuffer(MessageStore store)
    {
        _store = store;
        _timer = new Timer(_ => Flush(), null, Interval, Interval);
    }

    public void Add(string partId, string delta)
    {
        lock (_gate)
        {
            // Coalesce consecutive deltas of one part into one append.
            if (_pending.Count > 0 && _pending[^1].PartId == partId) _pending[^1] = (partId, _pending[^1].Delta + delta);
            else _pending.Add((partId, delta));
        }
    }

    public void Flush()
    {
        List<(string, string)> batch;
        lock (_gate)
        {
            if (_pending.Count == 0) return;
            batch = _pending;
            _pending = [];
        }
        _store.AppendText(batch);
    }

    public void Dispose()
    {
        _timer.Dispose();
        Flush();
    }
}
