using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// The live <see cref="ClaudeCodeSession"/>s by chat session id; disposing ends every CLI process. Idle processes are
/// bounded by <see cref="ClaudeCodeLimits"/>: one idle past the timeout is closed, and so is the least recently used
/// beyond the cap; the session stays and its next turn resumes the conversation in a new process.
/// </summary>
public sealed class ClaudeCodeSessions : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ClaudeCodeSession> _sessions = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly Timer _sweep;

    public ClaudeCodeSessions(ILogger<ClaudeCodeSessions>? logger = null, ClaudeCodeLimits? limits = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Limits = limits ?? new ClaudeCodeLimits();
        // Checked a few times per timeout, at most every 30 s: a process lives at most ~1.25 timeouts idle.
        var period = TimeSpan.FromTicks(Math.Clamp(Limits.IdleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(30).Ticks));
        _sweep = new Timer(_ => _ = SweepAsync(), null, period, period);
    }

    public ClaudeCodeLimits Limits { get; }

    public ClaudeCodeSession? Find(string sessionId) => _sessions.GetValueOrDefault(sessionId);

    /// <summary>How many CLI processes are alive now, busy or idle.</summary>
    public int LiveProcesses => _sessions.Values.Count(s => s.ProcessId is not null);

    internal ClaudeCodeSession GetOrAdd(string sessionId, ProviderConnection connection, IReadOnlyDictionary<string, string?>? environment,
        Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>>? approver) =>
        _sessions.GetOrAdd(sessionId, id => new ClaudeCodeSession(id, connection, environment, approver, _logger) { TurnEnded = () => _ = SweepAsync() });

    /// <summary>Ends a session's process and forgets it (the chat was deleted or archived, or the task ended).</summary>
    public async ValueTask CloseAsync(string sessionId)
    {
        if (_sessions.TryRemove(sessionId, out var session)) await session.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes idle processes past the timeout, then the least recently used beyond the cap.</summary>
    internal async Task SweepAsync()
    {
        try
        {
            var idle = _sessions.Values.Where(s => s.IdleSince is not null).OrderBy(s => s.IdleSince).ToList();
            var now = DateTime.UtcNow;
            for (var i = 0; i < idle.Count; i++)
            {
                var tooMany = idle.Count - i > Limits.MaxIdle;
                if (tooMany || now - idle[i].IdleSince >= Limits.IdleTimeout)
                    await idle[i].CloseIdleProcessAsync(tooMany ? "beyond the cap of idle processes" : "idle past the timeout").ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogWarning("Closing idle claude processes failed: {Reason}", e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sweep.DisposeAsync().ConfigureAwait(false);
        foreach (var id in _sessions.Keys) await CloseAsync(id).ConfigureAwait(false);
    }
}
