using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Providers;

namespace Plue.Providers.ClaudeCode;

/// <summary>The live <see cref="ClaudeCodeSession"/>s by chat session id; disposing ends every CLI process.</summary>
public sealed class ClaudeCodeSessions(ILogger<ClaudeCodeSessions>? logger = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ClaudeCodeSession> _sessions = new(StringComparer.Ordinal);
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public ClaudeCodeSession? Find(string sessionId) => _sessions.GetValueOrDefault(sessionId);

    internal ClaudeCodeSession GetOrAdd(string sessionId, ProviderConnection connection, IReadOnlyDictionary<string, string?>? environment,
        Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>>? approver) =>
        _sessions.GetOrAdd(sessionId, id => new ClaudeCodeSession(id, connection, environment, approver, _logger));

    /// <summary>Ends a session's process (the chat was closed).</summary>
    public async ValueTask CloseAsync(string sessionId)
    {
        if (_sessions.TryRemove(sessionId, out var session)) await session.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _sessions.Keys) await CloseAsync(id).ConfigureAwait(false);
    }
}
