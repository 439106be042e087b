using System.Collections.Concurrent;

namespace Plue.Sessions;

/// <summary>The turns streaming right now, one per conversation, each cancellable.</summary>
public sealed class ActiveTurns
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _turns = new();

    public bool IsActive(string conversationId) => _turns.ContainsKey(conversationId);

    /// <summary>Claims the conversation for a turn; false when one is already running.</summary>
    public bool TryStart(string conversationId, CancellationToken linked, out CancellationTokenSource turn)
    {
        turn = CancellationTokenSource.CreateLinkedTokenSource(linked);
        if (_turns.TryAdd(conversationId, turn)) return true;
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
