using System.Collections.Concurrent;

namespace Plue.Sessions;

/// <summary>The turns streaming right now, one per conversation, each cancellable.</summary>
public sealed class ActiveTurns
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _turns = new();
    private readonly CancellationTokenSource _firstStarted = new();

    /// <summary>
    /// Cancelled when the first turn starts: work done ahead for a turn (the warm-up's read of the latest chat) stops
    /// then, since the turn does its own, and on a cold start the two would share the CPU.
    /// </summary>
    public CancellationToken FirstStarted => _firstStarted.Token;

    public bool IsActive(string conversationId) => _turns.ContainsKey(conversationId);

    /// <summary>Claims the conversation for a turn; false when one is already running.</summary>
    public bool TryStart(string conversationId, CancellationToken linked, out CancellationTokenSource turn)
    {
        turn = CancellationTokenSource.CreateLinkedTokenSource(linked);
        if (_turns.TryAdd(conversationId, turn))
        {
            if (!_firstStarted.IsCancellationRequested) _firstStarted.Cancel();
            return true;
        }
        turn.Dispose();
        return false;
    }

    public void End(string conversationId, CancellationTokenSource turn)
    {
        _turns.TryRemove(KeyValuePair.Create(conversationId, turn));
        turn.Dispose();
    }

    public bool Cancel(string conversationId)
    {
        if (!_turns.TryGetValue(conversationId, out var turn)) return false;
        try
        {
            turn.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
