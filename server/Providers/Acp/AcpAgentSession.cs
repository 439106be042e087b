using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Acp;
using Plue.Providers.ClaudeCode;
using Plue.Rpc;

namespace Plue.Providers.Acp;

/// <summary>
/// One chat's (or task's) ACP agent, Plue its client: the first turn starts it (<c>initialize</c>, then
/// <c>session/new</c> in the workspace folder), each turn is one <c>session/prompt</c> whose <c>session/update</c>s
/// stream as parts, and the agent's questions are served meanwhile: <c>session/request_permission</c> through Plue's
/// approvals, <c>fs/*</c> inside the workspace. A turn stopped by the user sends <c>session/cancel</c>, and the agent is
/// killed if it does not end the turn within <see cref="CancelGrace"/>. An agent that exits mid-turn, or stays silent
/// past the instance's request timeout while no question waits on the user, ends the turn with an error that says so;
/// the parts streamed so far stay. The next turn starts a new agent, given the conversation as a transcript.
/// </summary>
internal sealed class AcpAgentSession(string id, ProviderConnection connection, AcpAgentOptions options) : IAsyncDisposable
{
    /// <summary>The policy its agent runs under: a conversation asking for another gets a new session.</summary>
    public Plue.Sandbox.SandboxPolicy? Sandbox => options.Sandbox;

    public static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(2);

    private static readonly string s_version =
        typeof(AcpAgentSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private readonly SemaphoreSlim _turnLock = new(1, 1);
    private readonly ConcurrentDictionary<string, bool> _denied = new(StringComparer.Ordinal);
    // The rule that decided each call the approver answered, by its id: the transcript keeps it on the call's part.
    private readonly ConcurrentDictionary<string, Protocol.ToolApproval> _decided = new(StringComparer.Ordinal);
    /// <summary>Each tool call's kind as its updates told it: a permission question may name only the call.</summary>
    private readonly ConcurrentDictionary<string, string> _kinds = new(StringComparer.Ordinal);
    private AcpAgentProcess? _process;
    private string? _agentSessionId;
    private Channel<AcpSessionUpdate>? _updates;
    private CancellationToken _turnCancellation;
    private int _awaitingUser;
    private long _lastHeardTicks;
    private bool _disposed;
    /// <summary>The user said to run this conversation's agent although the workspace is not trusted.</summary>
    private bool _runUntrusted;

    public int? ProcessId => _process is { HasExited: false } process ? process.Pid : null;

    /// <summary>Whether the agent of the next turn already holds the conversation.</summary>
    public bool KnowsConversation => _agentSessionId is not null && _process is { HasExited: false } && ReferenceEquals(_startedUnder, Policy);

    /// <summary>Its policy, with the paths the user allowed once for its agent (which then restarts under it).</summary>
    private Sandbox.SandboxPolicy? Policy => options.Confinement?.Proxies.Widened(id, options.Sandbox) ?? options.Sandbox;

    /// <summary>The policy its running agent was started under.</summary>
    private Sandbox.SandboxPolicy? _startedUnder;

    /// <summary>Whether the user refused the tool call <paramref name="toolCallId"/>.</summary>
    public bool WasDenied(string toolCallId) => _denied.ContainsKey(toolCallId);

    /// <summary>The rule that decided the call <paramref name="toolCallId"/>, when the approver was asked and named one.</summary>
    public Protocol.ToolApproval? ApprovalOf(string toolCallId) => _decided.GetValueOrDefault(toolCallId);

    private string Name => AcpAgentProcess.Name(connection);

    public async IAsyncEnumerable<ChatResponseUpdate> RunTurnAsync(string prompt, AcpUpdateMapper mapper, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _turnLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var updates = Channel.CreateUnbounded<AcpSessionUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Task<AcpPromptResponse>? answer = null;
        var finished = false;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var process = await StartAsync(cancellationToken).ConfigureAwait(false);
            _updates = updates;
            _turnCancellation = cancellationToken;
            Heard();
            // Not cancelled by $/cancel_request: ACP stops a turn with session/cancel, and the prompt then answers "cancelled".
            answer = process.Peer.RequestAsync(AcpMethods.SessionPrompt,
                new AcpPromptRequest { SessionId = _agentSessionId!, Prompt = [AcpContentBlock.OfText(prompt)] }, CancellationToken.None);
            while (true)
            {
                while (updates.Reader.TryRead(out var update))
                    foreach (var part in mapper.Map(update)) yield return part;
                if (answer.IsCompleted) break;
                await WaitAsync(process, updates.Reader, answer, cancellationToken).ConfigureAwait(false);
            }
            // What arrived before the answer: a notification is handled before the next line is read.
            while (updates.Reader.TryRead(out var update))
                foreach (var part in mapper.Map(update)) yield return part;
            var result = await OutcomeAsync(process, answer).ConfigureAwait(false);
            finished = true;
            yield return mapper.Complete(result.StopReason);
        }
        finally
        {
            _updates = null;
            _turnCancellation = CancellationToken.None;
            if (!finished && answer is not null) await StopTurnAsync(answer).ConfigureAwait(false);
            _turnLock.Release();
        }
    }

    /// <summary>The agent of this conversation, started and given a session when there is none alive.</summary>
    private async Task<AcpAgentProcess> StartAsync(CancellationToken cancellationToken)
    {
        // A path allowed once since it started: a running sandbox cannot be widened, so it starts again.
        var policy = Policy;
        if (_process is { HasExited: true } || _process is not null && !ReferenceEquals(_startedUnder, policy)) await DropProcessAsync().ConfigureAwait(false);
        if (_process is not null) return _process;
        if (!options.WorkspaceTrusted && !_runUntrusted) await AskUntrustedAsync(cancellationToken).ConfigureAwait(false);
        var router = new RequestRouter();
        router.Add(AcpMethods.SessionUpdate, (p, _) => OnUpdate(p));
        router.Add(AcpMethods.RequestPermission, AskAsync);
        router.Add(AcpMethods.FsReadTextFile, ReadAsync);
        router.Add(AcpMethods.FsWriteTextFile, WriteAsync);
        var process = AcpAgentProcess.Start(connection, options.WorkingDirectory, router, options.Logger ?? NullLogger.Instance, policy, id, options.Confinement);
        _process = process;
        _startedUnder = policy;
        _agentSessionId = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(connection.FirstByteTimeoutMs));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await process.Peer.RequestAsync(AcpMethods.InitializeAgent, InitializeRequest(options.Files is not null), linked.Token).ConfigureAwait(false);
            var created = await process.Peer.RequestAsync(AcpMethods.SessionNew,
                new AcpNewSessionRequest { Cwd = options.WorkingDirectory, McpServers = [] }, linked.Token).ConfigureAwait(false);
            _agentSessionId = created.SessionId;
            return process;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or RpcException)
        {
            var failure = e switch
            {
                IOException => await ExitedAsync(process, "while starting").ConfigureAwait(false),
                OperationCanceledException when cancellationToken.IsCancellationRequested => null,
                OperationCanceledException => new ProviderException(ProviderErrorKind.Timeout,
                    $"The ACP agent '{Name}' did not start a session within {connection.FirstByteTimeoutMs / 1000} s: check its command in the instance, or raise its first-byte timeout."),
                _ => new ProviderException(ProviderErrorKind.BadRequest, $"The ACP agent '{Name}' refused to start a session: {e.Message}"),
            };
            await DropProcessAsync().ConfigureAwait(false);
            if (failure is null) throw;
            throw failure;
        }
    }

    /// <summary>Plue's <c>initialize</c> as a client: whether it serves the agent's file reads and writes.</summary>
    internal static AcpInitializeRequest InitializeRequest(bool files) => new()
    {
        ProtocolVersion = AcpMethods.ProtocolVersion,
        ClientCapabilities = ClientCapabilities(files),
        ClientInfo = new AcpImplementation { Name = "plue", Title = "Plue", Version = s_version },
    };

    private static JsonElement ClientCapabilities(bool files)
    {
        using var document = JsonDocument.Parse(files
            ? """{"fs":{"readTextFile":true,"writeTextFile":true},"terminal":false}"""
            : """{"fs":{"readTextFile":false,"writeTextFile":false},"terminal":false}""");
        return document.RootElement.Clone();
    }

    /// <summary>Waits for an update or the answer; stops an agent silent past the request timeout while no question waits on the user.</summary>
    private async Task WaitAsync(AcpAgentProcess process, ChannelReader<AcpSessionUpdate> updates, Task answer, CancellationToken cancellationToken)
    {
        var silence = TimeSpan.FromMilliseconds(connection.TimeoutMs);
        while (true)
        {
            using var timer = new CancellationTokenSource(silence);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            try
            {
                await Task.WhenAny(updates.WaitToReadAsync(linked.Token).AsTask(), answer).WaitAsync(linked.Token).ConfigureAwait(false);
                // WhenAny completes (it does not throw) when the wait it holds was cancelled: without this a stopped turn
                // came back here at once, for ever, one core spinning and the Stop never ending.
                linked.Token.ThrowIfCancellationRequested();
                return;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (Volatile.Read(ref _awaitingUser) > 0 || DateTime.UtcNow.Ticks - Volatile.Read(ref _lastHeardTicks) < silence.Ticks) continue;
                process.Kill();
                throw new ProviderException(ProviderErrorKind.Timeout,
                    $"The ACP agent '{Name}' sent nothing for {silence.TotalSeconds:0} s and was stopped; its answer so far is kept. Send again, or raise the instance's request timeout.");
            }
        }
    }

    private async Task<AcpPromptResponse> OutcomeAsync(AcpAgentProcess process, Task<AcpPromptResponse> answer)
    {
        try
        {
            return await answer.ConfigureAwait(false);
        }
        catch (IOException)
        {
            throw await ExitedAsync(process, "in the middle of a turn").ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw new ProviderException(ProviderErrorKind.ServerError, $"The ACP agent '{Name}' failed the turn: {e.Message}");
        }
    }

    /// <summary>A turn left unfinished (stopped, failed, abandoned): session/cancel, then the agent is killed if it does not end the turn in time.</summary>
    private async Task StopTurnAsync(Task<AcpPromptResponse> answer)
    {
        var process = _process;
        if (process is null || answer.IsCompleted || process.HasExited)
        {
            if (process is { HasExited: true }) await DropProcessAsync().ConfigureAwait(false);
            return;
        }
        try
        {
            // Bounded too: an agent that stopped reading its stdin would otherwise hold the write, and the Stop, forever.
            await process.Peer.NotifyAsync(AcpMethods.SessionCancel, new AcpCancelNotification { SessionId = _agentSessionId! }).AsTask()
                .WaitAsync(CancelGrace).ConfigureAwait(false);
            await answer.WaitAsync(CancelGrace).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is TimeoutException or IOException or RpcException or ObjectDisposedException)
        {
            // Not stopped in time, or gone: killed below.
        }
        await DropProcessAsync().ConfigureAwait(false);
    }

    private async Task<ProviderException> ExitedAsync(AcpAgentProcess process, string when)
    {
        var code = await process.ExitCodeAsync().ConfigureAwait(false);
        var stderr = process.StderrTail;
        await DropProcessAsync().ConfigureAwait(false);
        var lines = string.Join(" | ", stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(5));
        var detail = lines.Length == 0 ? "" : ": " + ProviderErrors.Scrub(connection, lines);
        return new ProviderException(ProviderErrorKind.StreamCut,
            $"The ACP agent '{Name}' exited {when} (exit code {code?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}){detail}. Its answer so far is kept; send again to start it anew.");
    }

    private ValueTask OnUpdate(AcpSessionNotification notification)
    {
        Heard();
        if (notification.Update is { ToolCallId: { } callId, Kind: { } kind }) _kinds[callId] = kind;
        if (notification.SessionId == _agentSessionId) _updates?.Writer.TryWrite(notification.Update);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Before the agent first runs in a workspace the user has not trusted: an agent reads the workspace's own settings
    /// (its instructions, hooks, servers) whatever Plue passes it, so the user is asked whether to run it anyway. Refused,
    /// or no one to ask: the turn ends saying what to do, and the next one asks again.
    /// </summary>
    private async Task AskUntrustedAsync(CancellationToken cancellationToken)
    {
        var refused = $"The ACP agent '{Name}' was not started: this workspace is not trusted, and the agent reads the workspace's own settings. Trust the workspace, or chat with another instance here.";
        if (options.Approver is null) throw new ProviderException(ProviderErrorKind.BadRequest, refused);
        using var input = JsonDocument.Parse(new System.Text.Json.Nodes.JsonObject { ["agent"] = Name }.ToJsonString());
        var decision = await options.Approver(new ToolApprovalRequest
        {
            SessionId = id,
            Tool = AcpAgentOptions.UntrustedTool,
            Input = input.RootElement.Clone(),
            Reason = $"This agent reads the workspace's own settings (instructions, hooks and servers of the agent found in the folder), which Plue cannot keep from it, and this workspace is not trusted. Plue passes it none of the workspace's customizations. Run {Name} anyway?",
        }, cancellationToken).ConfigureAwait(false);
        if (decision.Behavior == ToolApprovalBehavior.Deny) throw new ProviderException(ProviderErrorKind.BadRequest, refused);
        _runUntrusted = true;
    }

    private async Task<AcpRequestPermissionResponse> AskAsync(AcpRequestPermissionRequest request, CancellationToken cancellationToken)
    {
        Heard();
        if (options.Approver is null) return AcpPermissions.Answer(request.Options, ToolApprovalBehavior.Deny);
        Interlocked.Increment(ref _awaitingUser);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _turnCancellation);
            // The question is shown on a card and kept with the approval: scrubbed of the agent's secrets like its updates.
            var question = AcpPermissions.Request(id, request, _kinds.GetValueOrDefault(request.ToolCall.ToolCallId));
            question = question with { Input = connection.Scrub(question.Input), Reason = question.Reason is null ? null : connection.Scrub(question.Reason) };
            var decision = await options.Approver(question, linked.Token).ConfigureAwait(false);
            if (decision.Behavior == ToolApprovalBehavior.Deny) _denied[request.ToolCall.ToolCallId] = true;
            if (decision.Approval is { } approval) _decided[request.ToolCall.ToolCallId] = approval;
            return AcpPermissions.Answer(request.Options, decision.Behavior);
        }
        catch (OperationCanceledException)
        {
            return AcpPermissions.Cancelled;
        }
        finally
        {
            Interlocked.Decrement(ref _awaitingUser);
            Heard();
        }
    }

    private async Task<AcpReadTextFileResponse> ReadAsync(AcpReadTextFileRequest request, CancellationToken cancellationToken)
    {
        Heard();
        var files = options.Files ?? throw NoFiles();
        return new AcpReadTextFileResponse { Content = await files.ReadTextAsync(request.Path, request.Line, request.Limit, cancellationToken).ConfigureAwait(false) };
    }

    private async Task<AcpEmpty> WriteAsync(AcpWriteTextFileRequest request, CancellationToken cancellationToken)
    {
        Heard();
        var files = options.Files ?? throw NoFiles();
        // Plue writes for the agent: the policy its own process runs under holds for what it asks Plue to write.
        var policy = options.Sandbox ?? Plue.Sandbox.SandboxPolicy.Off;
        if (policy.Files == Plue.Sandbox.SandboxFiles.ReadOnly)
            throw new RpcException(ErrorCodes.InvalidParams, $"The sandbox ({policy.Describe()}) denied writing {request.Path}: this chat's or task's policy is read-only.");
        await files.WriteTextAsync(request.Path, request.Content, cancellationToken).ConfigureAwait(false);
        return new AcpEmpty();
    }

    private static RpcException NoFiles() => new(ErrorCodes.MethodNotFound, "Plue serves no files to this agent: use your own file tools.");

    private void Heard() => Volatile.Write(ref _lastHeardTicks, DateTime.UtcNow.Ticks);

    private async Task DropProcessAsync()
    {
        var process = _process;
        _process = null;
        _agentSessionId = null;
        if (process is not null) await process.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await DropProcessAsync().ConfigureAwait(false);
    }
}
