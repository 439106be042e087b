using System.Collections.Concurrent;

namespace Plue.Providers.Acp;

/// <summary>The live <see cref="AcpAgentSession"/>s by chat or task id; disposing ends every agent process.</summary>
public sealed class AcpAgentSessions : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, AcpAgentSession> _sessions = new(StringComparer.Ordinal);

    internal AcpAgentSession GetOrAdd(string conversationId, ProviderConnection connection, AcpAgentOptions options)
    {
        var session = _sessions.GetOrAdd(conversationId, id => new AcpAgentSession(id, connection, options));
        if (Equals(session.Sandbox, options.Sandbox)) return session;
        // The chat's policy changed (another mode): its agent starts again under the new one.
        var fresh = new AcpAgentSession(conversationId, connection, options);
        if (!_sessions.TryUpdate(conversationId, fresh, session)) return _sessions[conversationId];
        _ = session.DisposeAsync().AsTask();
        return fresh;
    }

    /// <summary>How many agent processes are alive now.</summary>
    public int LiveProcesses => _sessions.Values.Count(s => s.ProcessId is not null);

    /// <summary>Ends a conversation's agent and forgets it (the task ended, the chat was deleted).</summary>
    public async ValueTask CloseAsync(string conversationId)
    {
        if (_sessions.TryRemove(conversationId, out var session)) await session.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _sessions.Keys) await CloseAsync(id).ConfigureAwait(false);
    }
}
