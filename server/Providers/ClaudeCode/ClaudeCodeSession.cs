using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plue.Providers;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// One chat session backed by one long-lived CLI process: the first turn spawns it, follow-up turns are written to the
/// same process (no spawn, the CLI keeps the history). One turn at a time; a turn ends at its <c>result</c> line.
/// A turn that is cancelled or abandoned is interrupted (control request); a CLI that does not stop within
/// <see cref="InterruptGrace"/>, times out, or dies is killed with its process tree and respawned by the next turn.
/// A process left idle may be closed (<see cref="ClaudeCodeSessions"/> bounds them); the next turn's new process resumes
/// the CLI's conversation (<c>--resume</c> with the session id the CLI reported), so the model keeps the history.
/// </summary>
public sealed class ClaudeCodeSession : IAsyncDisposable
{
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(2);

    private static readonly JsonElement s_emptyInput = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly ProviderConnection _connection;
    private readonly IReadOnlyDictionary<string, string?>? _environment;
    private readonly Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>>? _approver;
    /// <summary>The tool uses this session refused, so their results show as denied rather than failed.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _denied = new(StringComparer.Ordinal);
    // The rule that decided each tool use the approver answered, by its id: the transcript keeps it on the call's part.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Protocol.ToolApproval> _decided = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _turnLock = new(1, 1);
    private readonly HashSet<string> _alwaysAllowed = new(StringComparer.Ordinal);
    private ClaudeCodeProcess? _process;
    private ClaudeCodeLaunch? _launch;
    private CancellationToken _turnCancellation;
    private double _costSoFar;
    private bool _disposed;
    private string? _cliSessionId;
    private long _idleSinceTicks;

    internal ClaudeCodeSession(string id, ProviderConnection connection, IReadOnlyDictionary<string, string?>? environment,
        Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>>? approver, ILogger logger)
    {
        Id = id;
        _connection = connection;
        _environment = environment;
        _approver = approver;
        _logger = logger;
    }

    public string Id { get; }

    /// <summary>The pid of the live CLI process, or null between processes.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Pid : null;

    /// <summary>When the live process last finished a turn; null while a turn runs or when no process is alive.</summary>
    public DateTime? IdleSince => Volatile.Read(ref _idleSinceTicks) is > 0 and var ticks ? new DateTime(ticks, DateTimeKind.Utc) : null;

    /// <summary>Whether the next turn's CLI knows the conversation: its process is alive, or a new one can resume it.</summary>
    public bool KnowsConversation => _process is not null || _cliSessionId is not null;

    /// <summary>Told when a turn ends, so idle processes can be counted again.</summary>
    internal Action? TurnEnded { get; init; }

    /// <summary>Runs one user turn and yields the CLI's output lines up to and including the turn's <c>result</c>.</summary>
    internal async IAsyncEnumerable<JsonElement> RunTurnAsync(string prompt, ClaudeCodeLaunch launch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _turnLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _idleSinceTicks, 0);
        var completed = false;
        ClaudeCodeProcess? process = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            process = await EnsureProcessAsync(launch).ConfigureAwait(false);
            _turnCancellation = cancellationToken;
            while (process.Lines.TryRead(out _))
            {
                // Leftovers of an abandoned turn belong to no one.
            }
            await process.WriteLineAsync(ClaudeCodeWire.UserMessage(prompt), cancellationToken).ConfigureAwait(false);
            var timeout = TimeSpan.FromMilliseconds(_connection.FirstByteTimeoutMs);
            while (true)
            {
                var line = await ReadNextAsync(process, timeout, cancellationToken).ConfigureAwait(false)
                    ?? throw await ExitedAsync(process).ConfigureAwait(false);
                timeout = TimeSpan.FromMilliseconds(_connection.TimeoutMs);
                if (ClaudeCodeWire.String(line, "session_id") is { Length: > 0 } cliSession) _cliSessionId = cliSession;
                var isResult = ClaudeCodeWire.TypeOf(line) == "result";
                completed = isResult;
                yield return line;
                if (isResult) yield break;
            }
        }
        finally
        {
            _turnCancellation = CancellationToken.None;
            if (!completed && process is not null) await StopTurnAsync(process).ConfigureAwait(false);
            if (_process is { HasExited: false }) Volatile.Write(ref _idleSinceTicks, DateTime.UtcNow.Ticks);
            _turnLock.Release();
            TurnEnded?.Invoke();
        }
    }

    /// <summary>The part of the CLI's cumulative <c>total_cost_usd</c> that is new since the last call (the turn's cost).</summary>
    internal double RecordCost(double totalCostUsd)
    {
        var turn = Math.Max(0, totalCostUsd - _costSoFar);
        _costSoFar = totalCostUsd;
        return turn;
    }

    private async Task<ClaudeCodeProcess> EnsureProcessAsync(ClaudeCodeLaunch launch)
    {
        if (_process is not null && (_process.HasExited || _launch != launch)) await DropProcessAsync().ConfigureAwait(false);
        if (_process is not null) return _process;
        // A conversation whose process was closed (idle, crashed, relaunched) goes on where the CLI left it.
        _process = ClaudeCodeProcess.Start(_cliSessionId is not null ? launch with { Resume = _cliSessionId } : launch, env => ClaudeCodeEnvironment.Apply(env, _connection, _environment), HandleControlAsync, _logger, Id);
        _launch = launch;
        _costSoFar = 0;
        return _process;
    }

    /// <summary>The next output line; null when the CLI's stdout has closed. Kills the CLI when it stays silent past <paramref name="timeout"/>.</summary>
    private static async Task<JsonElement?> ReadNextAsync(ClaudeCodeProcess process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reader = process.Lines;
        while (true)
        {
            if (reader.TryRead(out var line)) return line;
            using var timer = new CancellationTokenSource(timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            try
            {
                if (!await reader.WaitToReadAsync(linked.Token).ConfigureAwait(false)) return null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Silence while the user decides on a tool approval is expected.
                if (process.AwaitingUs) continue;
                process.Kill();
                throw new ClaudeCodeException($"The Claude Code CLI sent nothing for {timeout.TotalSeconds:0} s and was stopped.") { StderrTail = process.StderrTail };
            }
        }
    }

    /// <summary>Interrupts an unfinished turn; kills the CLI if it does not end the turn within <see cref="InterruptGrace"/>.</summary>
    private async Task StopTurnAsync(ClaudeCodeProcess process)
    {
        if (process.HasExited)
        {
            await DropProcessAsync().ConfigureAwait(false);
            return;
        }
        using var deadline = new CancellationTokenSource(InterruptGrace);
        try
        {
            var acknowledged = process.SendControlAsync("interrupt", deadline.Token);
            _ = acknowledged.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            while (await process.Lines.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
                while (process.Lines.TryRead(out var line))
                    if (ClaudeCodeWire.TypeOf(line) == "result")
                    {
                        _logger.LogDebug("claude pid {Pid}: turn interrupted", process.Pid);
                        return;
                    }
        }
        catch (Exception e) when (e is OperationCanceledException or ClaudeCodeException)
        {
            // Not stopped in time, or gone: killed below.
        }
        _logger.LogDebug("claude pid {Pid}: did not stop after an interrupt; killing it", process.Pid);
        process.Kill();
        await DropProcessAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the process if it is still idle (no turn started meanwhile); the next turn resumes in a new one.</summary>
    internal async Task CloseIdleProcessAsync(string reason)
    {
        if (!await _turnLock.WaitAsync(0).ConfigureAwait(false)) return;
        try
        {
            if (_disposed || _process is null || IdleSince is null) return;
            _logger.LogDebug("claude pid {Pid}: closed, {Reason}", _process.Pid, reason);
            Volatile.Write(ref _idleSinceTicks, 0);
            await DropProcessAsync().ConfigureAwait(false);
        }
        finally
        {
            _turnLock.Release();
        }
    }

    private async Task<ClaudeCodeException> ExitedAsync(ClaudeCodeProcess process)
    {
        // A CLI that died mid-turn may not have saved its conversation, and a resume it could not do will not work
        // the next time either: the next turn starts afresh, with the transcript.
        _cliSessionId = null;
        var code = await process.ExitCodeAsync().ConfigureAwait(false);
        var stderr = process.StderrTail;
        await DropProcessAsync().ConfigureAwait(false);
        var detail = stderr.Length == 0 ? "" : ": " + ProviderErrors.Scrub(_connection, LastLines(stderr, 5));
        return new ClaudeCodeException($"The Claude Code CLI exited in the middle of a turn (exit code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}){detail}")
        {
            ExitCode = code,
            StderrTail = stderr,
        };
    }

    private async Task<string> HandleControlAsync(JsonElement message, CancellationToken cancellationToken)
    {
        var request = message.GetProperty("request");
        var subtype = ClaudeCodeWire.String(request, "subtype");
        if (subtype != "can_use_tool") throw new NotSupportedException($"plue does not handle the control request '{subtype}'");
        var tool = ClaudeCodeWire.String(request, "tool_name") ?? "unknown";
        var input = request.TryGetProperty("input", out var value) ? value.Clone() : s_emptyInput;
        lock (_alwaysAllowed)
            if (_alwaysAllowed.Contains(tool)) return ClaudeCodeWire.Allow(input);
        var toolUseId = ClaudeCodeWire.String(request, "tool_use_id");
        if (_approver is null) return Denied(toolUseId, "No one is there to approve tools in this session.");
        var description = ClaudeCodeWire.String(request, "description");
        var blockedPath = ClaudeCodeWire.String(request, "blocked_path");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _turnCancellation);
        var decision = await _approver(new ToolApprovalRequest
        {
            SessionId = Id,
            Tool = tool,
            Input = input,
            ToolUseId = toolUseId,
            Reason = blockedPath is null ? description : $"{description ?? tool} (touches {blockedPath})",
        }, linked.Token).ConfigureAwait(false);
        if (toolUseId is not null && decision.Approval is { } approval) _decided[toolUseId] = approval;
        switch (decision.Behavior)
        {
            case ToolApprovalBehavior.AllowAlways:
                lock (_alwaysAllowed) _alwaysAllowed.Add(tool);
                return ClaudeCodeWire.Allow(input);
            case ToolApprovalBehavior.Allow:
                return ClaudeCodeWire.Allow(input);
            default:
                return Denied(toolUseId, decision.Message is { Length: > 0 } why ? why : "The user denied this tool use.");
        }
    }

    /// <summary>Whether this session refused the tool use <paramref name="toolUseId"/>.</summary>
    public bool WasDenied(string toolUseId) => _denied.ContainsKey(toolUseId);

    /// <summary>The rule that decided the tool use <paramref name="toolUseId"/>, when the approver was asked and named one.</summary>
    public Protocol.ToolApproval? ApprovalOf(string toolUseId) => _decided.GetValueOrDefault(toolUseId);

    private string Denied(string? toolUseId, string why)
    {
        if (toolUseId is not null) _denied[toolUseId] = true;
        return ClaudeCodeWire.Deny(why);
    }

    private async Task DropProcessAsync()
    {
        var process = _process;
        _process = null;
        _launch = null;
        if (process is not null) await process.DisposeAsync().ConfigureAwait(false);
    }

    private static string LastLines(string text, int count) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(count));

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        Volatile.Write(ref _idleSinceTicks, 0);
        var process = _process;
        _process = null;
        if (process is not null) await process.DisposeAsync().ConfigureAwait(false);
    }
}
