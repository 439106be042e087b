using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Plue.Processes;
using Plue.Sandbox;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// One running <c>claude -p --input-format stream-json</c> child: writes JSON lines to its stdin, reads its stdout lines,
/// answers its control requests (tool approvals) and matches the answers to ours (interrupt). Output lines of turns are
/// queued in <see cref="Lines"/>, which completes when stdout ends. Disposing closes stdin, then kills the process tree.
/// </summary>
internal sealed class ClaudeCodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<JsonElement> _lines = Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _controlAnswers = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _incomingControls = new();
    private readonly Func<JsonElement, CancellationToken, Task<string>> _controlHandler;
    private readonly ILogger _logger;
    private readonly ClaudeCodeLaunchFiles _files;
    private readonly Task _readStdout;
    private readonly ChildProcessWatch _watch;
    private int _pendingControls;
    private int _nextRequestId;
    /// <summary>Its conversation, the proxy of its own under an allow-list and its sandbox's watch (<see cref="AgentProxies"/>), closed with it.</summary>
    private (AgentProxies? Proxies, string? Owner, SandboxProxy? Proxy, SandboxWatch? Watch) _proxy;

    /// <param name="controlHandler">Answers one control request of the CLI (its JSON line); returns the <c>response</c> object's JSON.</param>
    private ClaudeCodeProcess(Process process, ClaudeCodeLaunchFiles files, Func<JsonElement, CancellationToken, Task<string>> controlHandler, ILogger logger, bool grouped)
    {
        _process = process;
        _files = files;
        _controlHandler = controlHandler;
        _logger = logger;
        _readStdout = Task.Run(ReadStdoutAsync);
        _watch = new ChildProcessWatch(process, grouped);
        _ = WatchExitAsync();
    }

    /// <summary>Its own sign-in (a subscription's OAuth token, refreshed in place), a credential store hidden from every other child.</summary>
    private static readonly string[] s_signIn = [".claude/.credentials.json"];

    /// <param name="owner">Its chat's or task's id: what its sandbox refuses is told there.</param>
    public static ClaudeCodeProcess Start(ClaudeCodeLaunch launch, Action<IDictionary<string, string?>> configureEnvironment,
        Func<JsonElement, CancellationToken, Task<string>> controlHandler, ILogger logger, string? owner = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        configureEnvironment(environment);
        var files = ClaudeCodeLaunchFiles.Write(launch, environment);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        // Its own endpoint reachable (a base URL set for it, else Anthropic's).
        var policy = AgentSandbox.For(launch.Sandbox ?? SandboxPolicy.Off, AgentSandbox.HostsOf(environment.GetValueOrDefault("ANTHROPIC_BASE_URL")) is var own && own.Any()
            ? own : ["api.anthropic.com", "*.anthropic.com"]);
        var proxies = launch.Confinement?.Proxies;
        var proxy = proxies?.Open(owner, policy, ChildLauncher.Confines(policy));
        // The workspace's missing planted folders, read-only while it runs (SandboxPlaceholders), released when it ends.
        var held = ChildLauncher.Confines(policy) ? SandboxPlaceholders.Hold([launch.WorkingDirectory], policy) : null;
        // Its sign-in and sessions writable; its launch files, in the system temp folder a private /tmp hides, bound
        // back read-only, and so are the files its MCP servers are started from (a server's script may lie there too).
        var places = AgentSandbox.Places(launch.Confinement?.PlueHome, launch.WorkingDirectory, launch.CliPath, launch.McpConfig?.Servers.SelectMany(s => s.Args.Prepend(s.Command)), Path.Combine(home, ".claude"), Path.Combine(home, ".claude.json"),
                environment.GetValueOrDefault("CLAUDE_CONFIG_DIR") ?? "")
            is var all && files.Folder is { } folder ? all with { ReadOnly = [.. all.ReadOnly, folder], SignIn = s_signIn } : all with { SignIn = s_signIn };
        // What it (its Bash, its hooks) is refused, the planted places that do not exist yet among them, told in its chat or task.
        var watch = proxies?.Watch(owner, policy, places, ChildLauncher.Confines(policy));
        // A group of its own unconfined (a sandbox's pid namespace is one already): its tools' commands die with it.
        var leader = ProcessGroups.Leader(launch.CliPath, ChildLauncher.Confines(policy));
        var start = ChildLauncher.StartInfo(new ChildCommand
        {
            Program = leader ?? launch.CliPath,
            Arguments = [.. launch.Arguments(files.SystemPrompt, files.McpConfig)],
            WorkingDirectory = launch.WorkingDirectory,
            Environment = env =>
            {
                foreach (var (name, value) in environment) env[name] = value;
            },
            Policy = policy,
            Proxy = proxy,
            Watch = watch,
            LongLived = true,
            Places = places,
            Setsid = leader is not null ? ProcessGroups.Setsid : null,
        });
        start.StandardInputEncoding = new UTF8Encoding(false);
        Process process;
        try
        {
            process = ChildLauncher.Start(start) ?? throw new ClaudeCodeException($"Could not start the Claude Code CLI at {launch.CliPath}.");
            if (held is not null) _ = process.WaitForExitAsync().ContinueWith(_ => held.Dispose(), TaskScheduler.Default);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            held?.Dispose();
            files.Delete();
            proxies?.Close(owner, proxy, watch);
            throw new ClaudeCodeException($"Could not start the Claude Code CLI at {launch.CliPath}: {e.Message}. Install it (npm install -g @anthropic-ai/claude-code) or set its path.", e);
        }
        logger.LogDebug("claude started, pid {Pid}, model {Model}, cwd {Cwd}", process.Id, launch.Model, launch.WorkingDirectory);
        return new ClaudeCodeProcess(process, files, controlHandler, logger, leader is not null) { _proxy = (proxies, owner, proxy, watch) };
    }

    public int Pid => _process.Id;

    /// <summary>The CLI's output lines other than control messages; completes when its stdout closes.</summary>
    public ChannelReader<JsonElement> Lines => _lines.Reader;

    /// <summary>True while the CLI waits on one of our answers (a tool approval): it is silent then, not stuck.</summary>
    public bool AwaitingUs => Volatile.Read(ref _pendingControls) > 0;

    public bool HasExited => _watch.HasExited;

    public string StderrTail => _watch.StderrTail;

    /// <summary>The exit code once the process has ended (waits briefly for it), else null.</summary>
    public Task<int?> ExitCodeAsync() => _watch.ExitCodeAsync();

    public async Task WriteLineAsync(string json, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _process.StandardInput.WriteAsync(json.AsMemory(), cancellationToken).ConfigureAwait(false);
            await _process.StandardInput.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            throw new ClaudeCodeException("The Claude Code CLI closed its input: it has exited.", e) { StderrTail = StderrTail };
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends <c>{"type":"control_request","request_id","request":{"subtype":...}}</c> and waits for its control_response.</summary>
    public async Task<JsonElement> SendControlAsync(string subtype, CancellationToken cancellationToken)
    {
        var id = $"plue_{Interlocked.Increment(ref _nextRequestId)}";
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _controlAnswers[id] = answer;
        try
        {
            await WriteLineAsync(ClaudeCodeWire.ControlRequest(id, subtype), cancellationToken).ConfigureAwait(false);
            return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _controlAnswers.TryRemove(id, out _);
        }
    }

    private async Task ReadStdoutAsync()
    {
        var reader = _process.StandardOutput;
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0) continue;
                JsonElement message;
                try
                {
                    using var document = JsonDocument.Parse(line);
                    message = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    _logger.LogDebug("claude wrote a non-JSON line ({Length} chars)", line.Length);
                    continue;
                }
                Dispatch(message);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke: the process died.
        }
        finally
        {
            _lines.Writer.TryComplete();
            foreach (var answer in _controlAnswers.Values) answer.TrySetException(new ClaudeCodeException("The Claude Code CLI exited before answering."));
            foreach (var pending in _incomingControls.Values) pending.Cancel();
        }
    }

    /// <summary>
    /// Deletes the launch files once the process has exited, and ends <see cref="Lines"/> shortly after even if its stdout
    /// stays open (a grandchild, e.g. a tool's shell, can hold the pipe after the CLI was killed).
    /// </summary>
    private async Task WatchExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            _files.Delete();
            await _readStdout.WaitAsync(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Still open, or the process object is gone: end the output here.
        }
        if (!_lines.Writer.TryComplete()) return;
        foreach (var answer in _controlAnswers.Values) answer.TrySetException(new ClaudeCodeException("The Claude Code CLI exited before answering."));
    }

    private void Dispatch(JsonElement message)
    {
        switch (ClaudeCodeWire.TypeOf(message))
        {
            case "control_response":
                var response = message.GetProperty("response");
                if (response.TryGetProperty("request_id", out var id) && _controlAnswers.TryGetValue(id.GetString() ?? "", out var answer))
                    answer.TrySetResult(response);
                return;
            case "control_request":
                _ = AnswerControlAsync(message);
                return;
            case "control_cancel_request":
                if (message.TryGetProperty("request_id", out var cancelled) && _incomingControls.TryGetValue(cancelled.GetString() ?? "", out var source))
                    source.Cancel();
                return;
            case "keep_alive":
                return;
            default:
                _lines.Writer.TryWrite(message);
                return;
        }
    }

    /// <summary>Answers one control request of the CLI without holding up the reading of its output.</summary>
    private async Task AnswerControlAsync(JsonElement request)
    {
        var id = request.TryGetProperty("request_id", out var value) ? value.GetString() ?? "" : "";
        using var cancel = new CancellationTokenSource();
        _incomingControls[id] = cancel;
        Interlocked.Increment(ref _pendingControls);
        string line;
        try
        {
            var response = await _controlHandler(request, cancel.Token).ConfigureAwait(false);
            line = ClaudeCodeWire.ControlSuccess(id, response);
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "claude control request {Id} failed", id);
            line = ClaudeCodeWire.ControlError(id, e is OperationCanceledException ? "cancelled" : e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingControls);
            _incomingControls.TryRemove(id, out _);
        }
        try
        {
            if (!cancel.IsCancellationRequested || !HasExited) await WriteLineAsync(line, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ClaudeCodeException)
        {
            // The CLI has gone; the turn reports it.
        }
    }

    /// <summary>Ends the CLI now, with every child it started (tools run as its children).</summary>
    public void Kill() => _watch.Kill();

    /// <summary>Closes stdin (the CLI's cue to exit); kills the tree if it is still there after <paramref name="grace"/>.</summary>
    public async ValueTask CloseAsync(TimeSpan grace)
    {
        var locked = await _writeLock.WaitAsync(grace).ConfigureAwait(false);
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Already closed.
        }
        finally
        {
            if (locked) _writeLock.Release();
        }
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await Task.WhenAll(_readStdout, _watch.StderrRead).WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _process.Dispose();
        _files.Delete();
        _proxy.Proxies?.Close(_proxy.Owner, _proxy.Proxy, _proxy.Watch);
    }
}
