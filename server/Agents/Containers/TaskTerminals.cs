using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plue.Codex.Records;
using Plue.Engines;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Containers;

/// <summary>
/// "Open a Terminal in the Container": a shell with a terminal in a task's container, reached through the engine its
/// run uses (<see cref="TaskContainers.Engine"/>), the container found by its <c>plue.task</c> label. Its output goes to the
/// client as <c>engines/terminalOutput</c> as it comes; its end (the user's exit, or the container going away) as
/// <c>engines/terminalClosed</c>. Nothing of the sidecar's own (its environment, the Plue home) enters the shell.
/// </summary>
public sealed partial class TaskTerminals(TaskContainers containers, EngineService engines, CodexService codex, JsonRpcPeer peer, ILogger<TaskTerminals> logger) : IDisposable
{
    /// <summary>What the user's shell is: every image has it.</summary>
    private static readonly string[] s_shell = ["/bin/sh"];

    private readonly ConcurrentDictionary<string, Open> _open = new(StringComparer.Ordinal);

    public async Task<EngineTerminalOpened> OpenAsync(EngineTerminalOpenParams p, CancellationToken cancellationToken)
    {
        var task = codex.Get(p.TaskId);
        if (!codex.IsA(task, TaskFields.BaseTemplate)) throw PlueErrors.NotFound($"'{task.Title}' is not an agent task.");
        if (!containers.InContainerTree(task))
            throw RpcException.InvalidParams($"'{task.Title}' runs on this machine, not in a container: open a terminal of your own in its folder.");
        var named = TaskRecordFields.Of(task.Fields).Engine?.Trim();
        if (!string.IsNullOrEmpty(named) && engines.Find(named) is null)
            throw PlueErrors.NotFound($"This task's engine '{named}' is not among your Docker engines any more: add it again (`plue engines add`), or run the task on another.");
        var record = containers.Engine(named);
        var engineName = record?.Title ?? EngineService.ThisMachine;
        EngineClient client;
        try
        {
            client = record is null
                ? await engines.ConnectThisMachineAsync(cancellationToken).ConfigureAwait(false)
                : await engines.ConnectAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException e)
        {
            throw Refused(e, record);
        }
        try
        {
            var found = await client.FindTaskContainerAsync(task.Id, cancellationToken).ConfigureAwait(false);
            if (found is not { Running: true } container)
            {
                throw RpcException.InvalidParams(found is not null
                    ? $"This task's container is not running; it runs while the task does: resume '{task.Title}', then open the terminal again."
                    : $"This task has no container on {engineName} yet: it is made when the task starts; open the terminal once it runs.");
            }
            var id = $"terminal-{Guid.NewGuid():N}"[..21];
            var shell = await client.OpenShellAsync(container.Id, s_shell, id, Math.Max(p.Cols, 1), Math.Max(p.Rows, 1), cancellationToken).ConfigureAwait(false);
            var open = new Open(id, client, shell);
            _open[id] = open;
            _ = Task.Run(() => PumpAsync(open));
            return new EngineTerminalOpened { TerminalId = id, Engine = engineName, ShortId = container.Id[..Math.Min(12, container.Id.Length)] };
        }
        catch (Exception e)
        {
            client.Dispose();
            if (e is EngineException engine) throw Refused(engine, record);
            throw;
        }
    }

    public async Task<EngineTerminalState> WriteAsync(EngineTerminalInputParams p, CancellationToken cancellationToken)
    {
        if (!_open.TryGetValue(p.TerminalId, out var open)) return Closed(p.TerminalId);
        await open.Writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await open.Shell.WriteAsync(Encoding.UTF8.GetBytes(p.Data), cancellationToken).ConfigureAwait(false);
            return new EngineTerminalState { TerminalId = p.TerminalId, Open = true };
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return Closed(p.TerminalId);
        }
        finally
        {
            open.Writing.Release();
        }
    }

    public async Task<EngineTerminalState> ResizeAsync(EngineTerminalResizeParams p, CancellationToken cancellationToken)
    {
        if (!_open.TryGetValue(p.TerminalId, out var open)) return Closed(p.TerminalId);
        await open.Shell.ResizeAsync(Math.Max(p.Cols, 1), Math.Max(p.Rows, 1), cancellationToken).ConfigureAwait(false);
        return new EngineTerminalState { TerminalId = p.TerminalId, Open = true };
    }

    /// <summary>Ends the shell and what it started (the engine keeps an exec's process when its connection closes), then its connection.</summary>
    public async Task<EngineTerminalState> CloseAsync(EngineTerminalCloseParams p, CancellationToken cancellationToken)
    {
        if (_open.TryRemove(p.TerminalId, out var open))
        {
            using (open)
                await open.Shell.HangUpAsync(cancellationToken).ConfigureAwait(false);
        }
        return Closed(p.TerminalId);
    }

    /// <summary>Sends the shell's output as it comes, then its end; a character's bytes may be split across two reads.</summary>
    private async Task PumpAsync(Open open)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var buffer = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        try
        {
            for (int read; (read = await open.Shell.ReadAsync(buffer, open.Ended.Token).ConfigureAwait(false)) > 0;)
            {
                var n = decoder.GetChars(buffer, 0, read, chars, 0);
                if (n > 0) await NotifyAsync(Contract.EnginesTerminalOutput, new EngineTerminalOutputParams { TerminalId = open.Id, Data = new string(chars, 0, n) }).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or HttpRequestException)
        {
            LogShellEnded(open.Id, e.Message);
        }
        if (!_open.TryRemove(open.Id, out _)) return;  // closed by the user: nothing more to tell
        var exitCode = await open.Shell.ExitCodeAsync(CancellationToken.None).ConfigureAwait(false);
        await NotifyAsync(Contract.EnginesTerminalClosed, new EngineTerminalClosedParams
        {
            TerminalId = open.Id,
            ExitCode = exitCode,
            Reason = exitCode is null ? "The task's container stopped, so its terminal closed." : null,
        }).ConfigureAwait(false);
        open.Dispose();
    }

    private async Task NotifyAsync<T>(NotificationType<T> method, T value)
    {
        try
        {
            await peer.NotifyAsync(method, value).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            LogNotSent(method.Name, e.Message);  // no client: the terminal has no one to show
        }
    }

    /// <summary>
    /// An engine's failure as the client gets it: its line, what mends it in <c>data.fix</c> (docs/CONTAINERS.md) and
    /// the engine's name in <c>data.engine</c>, for the window's Test Engine button.
    /// </summary>
    private static RpcException Refused(EngineException e, CodexRecord? engine)
    {
        var data = new JsonObject { ["fix"] = EngineService.FixName(e.Fix) };
        if (engine is not null) data["engine"] = engine.Title;
        return RpcException.InvalidParams(e.Message, JsonSerializer.SerializeToElement(data, PlueJsonContext.Default.JsonObject));
    }

    private static EngineTerminalState Closed(string id) => new() { TerminalId = id, Open = false };

    public void Dispose()
    {
        foreach (var id in _open.Keys)
            if (_open.TryRemove(id, out var open)) open.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Terminal {TerminalId} ended: {Reason}")]
    private partial void LogShellEnded(string terminalId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} not sent: {Reason}")]
    private partial void LogNotSent(string method, string reason);

    private sealed class Open(string id, EngineClient client, EngineShell shell) : IDisposable
    {
        public string Id => id;
        public EngineShell Shell => shell;
        public SemaphoreSlim Writing { get; } = new(1, 1);
        public CancellationTokenSource Ended { get; } = new();

        public void Dispose()
        {
            Ended.Cancel();
            shell.Dispose();
            client.Dispose();
        }
    }
}
