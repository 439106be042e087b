using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Acp;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Sidecar;

namespace Plue.Cli.Acp;

/// <summary>
/// Plue as an Agent Client Protocol agent (<c>plue acp</c>): an editor's ACP client on stdio, one message per line, and
/// behind it the whole sidecar of the command line, called through the same contract as VS Code. A session is a Plue
/// chat (so it shows in VS Code's Channels view), a prompt is <c>session/send</c>, its streamed parts become
/// <c>session/update</c>s, and each approval Plue asks becomes <c>session/request_permission</c>.
/// </summary>
internal sealed class AcpAgent(CliSidecar sidecar, string? instanceName, string? modelId, string folder)
{
    /// <summary>ACP's code for "authenticate first": no provider instance can answer yet.</summary>
    private const int AuthRequired = -32000;

    /// <summary>A new session's tools: the chat's own, each write, edit and bash asking first.</summary>
    private static readonly string[] s_tools = ["read", "write", "edit", "search", "bash"];

    private readonly ConcurrentDictionary<string, AcpSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _turns = new();
    private JsonRpcPeer? _client;

    /// <summary>Serves ACP on <paramref name="input"/> and <paramref name="output"/> until the client closes its end.</summary>
    /// <param name="outputRoom">Whether <paramref name="output"/> has room for a message now (<see cref="JsonRpcPeerOptions.OutputRoom"/>).</param>
    public async Task<int> ServeAsync(Stream input, Stream output, CancellationToken cancellationToken, Func<int, bool>? outputRoom = null)
    {
        var router = new RequestRouter();
        router.Add(AcpMethods.Initialize, (p, ct) => InitializeAsync(ct));
        router.Add(AcpMethods.Authenticate, (p, ct) => AuthenticateAsync(ct));
        router.Add(AcpMethods.SessionNew, NewSessionAsync);
        router.Add(AcpMethods.SessionLoad, LoadSessionAsync);
        router.Add(AcpMethods.SessionPrompt, PromptAsync);
        router.Add(AcpMethods.SessionCancel, (p, _) => CancelAsync(p.SessionId));
        sidecar.Events.PartDelta = OnPartDelta;
        sidecar.Events.MessageUpdated = OnMessageUpdatedAsync;
        sidecar.Events.Approve = AskAsync;
        await using var client = new JsonRpcPeer(input, output, router, NullLogger<JsonRpcPeer>.Instance, new JsonRpcPeerOptions
        {
            RequireInitialize = false,
            Framing = Framing.NewlineDelimited,
            CancelNotification = RpcMethods.AcpCancelNotification,
            OutputRoom = outputRoom,
        });
        _client = client;
        // The editor closing the agent's output ends it as closing its input does: the turn under way is cancelled
        // (what arrived is kept) and the process exits, rather than answering into a pipe nobody reads.
        using var serving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var outputClosed = outputRoom is null ? null : OutputRoom.Closed(1, serving.Token).ContinueWith(_ => serving.Cancel(), TaskScheduler.Default);
        try
        {
            await client.RunAsync(serving.Token).ConfigureAwait(false);
        }
        finally
        {
            await serving.CancelAsync().ConfigureAwait(false);
            if (outputClosed is not null) await outputClosed.ConfigureAwait(false);
            // The turns under way were told to stop; they end by writing what arrived, as cancelled, before the store closes.
            await Task.WhenAll(_turns.Keys).WaitAsync(TimeSpan.FromSeconds(4)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return 0;
    }

    private async Task<AcpInitializeResponse> InitializeAsync(CancellationToken cancellationToken)
    {
        var instances = await CliInstances.ListAsync(sidecar).ConfigureAwait(false);
        var usable = instances.Any(i => i.Enabled && (i.HasKey || i.FromEnvironment || i.Local));
        return new AcpInitializeResponse
        {
            ProtocolVersion = AcpMethods.ProtocolVersion,
            AgentCapabilities = new AcpAgentCapabilities
            {
                LoadSession = true,
                PromptCapabilities = new AcpPromptCapabilities { Image = true, Audio = false, EmbeddedContext = true },
                McpCapabilities = new AcpMcpCapabilities { Http = false, Sse = false },
            },
            AuthMethods = usable ? [] : [SetUp],
            AgentInfo = new AcpImplementation { Name = "plue", Title = "Plue", Version = SidecarInfo.Version },
        };
    }

    private static readonly AcpAuthMethod SetUp = new()
    {
        Id = "plue-instances-add",
        Name = "Add a provider to Plue",
        Description = "Run `plue instances add <provider>` in a terminal (`plue providers` lists them), or add one in VS Code's Plue Providers view, then sign in again.",
    };

    private async Task<AcpEmpty> AuthenticateAsync(CancellationToken cancellationToken)
    {
        await UsableInstanceAsync().ConfigureAwait(false);
        return new AcpEmpty();
    }

    private async Task<ProviderInstance> UsableInstanceAsync()
    {
        try
        {
            return await CliInstances.FindAsync(sidecar, instanceName).ConfigureAwait(false);
        }
        catch (CliError e)
        {
            throw new RpcException(instanceName is null ? AuthRequired : ErrorCodes.InvalidParams, e.Message);
        }
    }

    private async Task<AcpNewSessionResponse> NewSessionAsync(AcpNewSessionRequest request, CancellationToken cancellationToken)
    {
        CheckFolder(request.Cwd);
        var instance = await UsableInstanceAsync().ConfigureAwait(false);
        string model;
        try
        {
            model = await CliInstances.ModelAsync(sidecar, instance, modelId).ConfigureAwait(false);
        }
        catch (CliError e)
        {
            throw RpcException.InvalidParams(e.Message);
        }
        var session = await sidecar.CallAsync(Contract.SessionCreate, new SessionCreateParams { InstanceId = instance.Id, ModelId = model, AllowUnlisted = modelId is not null }, cancellationToken).ConfigureAwait(false);
        await sidecar.CallAsync(Contract.CodexUpdate, new CodexChange
        {
            Id = session.Id,
            Version = session.Version,
            Fields = new JsonObject { ["available_tools"] = new JsonArray([.. s_tools.Select(t => JsonValue.Create(t))]) },
        }, cancellationToken).ConfigureAwait(false);
        _sessions[session.Id] = new AcpSession(session.Id);
        await CommandsAfterResponseAsync(session.Id, cancellationToken).ConfigureAwait(false);
        return new AcpNewSessionResponse { SessionId = session.Id };
    }

    /// <summary>Replays a chat (made here, in VS Code or on the command line) as the updates that would have told it.</summary>
    private async Task<AcpLoadSessionResponse> LoadSessionAsync(AcpLoadSessionRequest request, CancellationToken cancellationToken)
    {
        CheckFolder(request.Cwd);
        var transcript = await sidecar.CallAsync(Contract.SessionMessages, new SessionMessagesParams { Id = request.SessionId }, cancellationToken).ConfigureAwait(false);
        var session = _sessions.GetOrAdd(request.SessionId, id => new AcpSession(id));
        foreach (var message in transcript.Messages.Where(m => m.Status != MessageStatus.Superseded))
        {
            foreach (var part in message.Parts)
            {
                if (part is ToolUsePart or ToolResultPart) await ToldToolAsync(session, part).ConfigureAwait(false);
                else if (AcpUpdates.Chunk(message.Role, part) is { } chunk) await UpdateAsync(session.Id, chunk).ConfigureAwait(false);
            }
        }
        await CommandsAfterResponseAsync(session.Id, cancellationToken).ConfigureAwait(false);
        return new AcpLoadSessionResponse();
    }

    private async Task<AcpPromptResponse> PromptAsync(AcpPromptRequest request, CancellationToken cancellationToken)
    {
        var session = _sessions.GetOrAdd(request.SessionId, id => new AcpSession(id));
        session.CancelRequested = false;
        var (text, attachments) = AcpPrompt.Read(request.Prompt);
        SessionMessage answer;
        // The send runs to the turn's own end: a request cancelled (the editor gone) stops the turn, which then writes
        // what it kept; abandoning the call instead would let the process exit with the answer still "streaming".
        var send = sidecar.CallAsync(Contract.SessionSend, new SessionSendParams { SessionId = session.Id, Text = text, Attachments = attachments }, CancellationToken.None);
        _turns.TryAdd(send, 0);
        try
        {
            await using (cancellationToken.Register(() => _ = CancelAsync(session.Id).AsTask()).ConfigureAwait(false))
                answer = await send.ConfigureAwait(false);
        }
        catch (RpcException) when (session.CancelRequested)
        {
            // A turn stopped while its tools ran (an approval waiting) ends in an error rather than a cancelled answer.
            return new AcpPromptResponse { StopReason = "cancelled" };
        }
        finally
        {
            _turns.TryRemove(send, out _);
        }
        if (session.CancelRequested || answer.Status is MessageStatus.Cancelled or MessageStatus.Interrupted) return new AcpPromptResponse { StopReason = "cancelled" };
        if (answer.Status == MessageStatus.Error)
            throw new RpcException(PlueErrorCodes.ProviderError, $"{answer.Error ?? "The provider gave no answer"}; the chat is kept: check the provider with `plue instances test`.");
        var cut = answer.Parts.OfType<StepPart>().LastOrDefault()?.FinishReason is "length" or "max_tokens";
        return new AcpPromptResponse { StopReason = cut ? "max_tokens" : "end_turn" };
    }

    private async ValueTask CancelAsync(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session)) return;
        session.CancelRequested = true;
        await sidecar.CallAsync(Contract.SessionCancel, new SessionIdParams { SessionId = sessionId }).ConfigureAwait(false);
    }

    private void OnPartDelta(PartDeltaParams delta)
    {
        if (delta.Delta.Length == 0 || !_sessions.ContainsKey(delta.SessionId)) return;
        var update = delta.Kind switch
        {
            PartKind.Text => AcpUpdates.Chunk("agent_message_chunk", delta.Delta),
            PartKind.Reasoning => AcpUpdates.Chunk("agent_thought_chunk", delta.Delta),
            _ => null,
        };
        // Deltas come in order on the sidecar's one connection; queued here in that order on the client's.
        if (update is not null) _ = UpdateAsync(delta.SessionId, update).AsTask();
    }

    private async ValueTask OnMessageUpdatedAsync(MessageUpdatedParams updated)
    {
        if (!_sessions.TryGetValue(updated.Message.SessionId, out var session)) return;
        foreach (var part in updated.Message.Parts.Where(p => p is ToolUsePart or ToolResultPart))
            await ToldToolAsync(session, part).ConfigureAwait(false);
    }

    /// <summary>Tells a tool use when it is new or its state moved, and a result once.</summary>
    private async ValueTask ToldToolAsync(AcpSession session, MessagePart part)
    {
        switch (part)
        {
            case ToolUsePart use:
                var id = use.ToolCallId ?? use.Id;
                var known = session.ToolCalls.ContainsKey(id);
                var status = AcpUpdates.Status(use.State);
                if (!session.Tell(id, use.Name ?? "tool", status)) return;
                await UpdateAsync(session.Id, known ? AcpUpdates.Status(id, status) : AcpUpdates.ToolCall(id, use.Name ?? "tool", use.Input, status, folder)).ConfigureAwait(false);
                return;
            case ToolResultPart result:
                var callId = result.ToolCallId ?? result.Id;
                if (!session.Tell(callId, result.Name ?? "tool", "result")) return;
                await UpdateAsync(session.Id, AcpUpdates.Result(result)).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>
    /// Plue's <c>permission/request</c> as <c>session/request_permission</c>: allow once, always for the command's
    /// prefix or the file's folder in this workspace (when the sidecar found one), allow always (for this chat), or reject. A question withdrawn (<c>session/cancel</c>, the turn stopped) or one the client cannot answer is a deny.
    /// </summary>
    private async Task<PermissionRequestResult> AskAsync(PermissionRequestParams question, CancellationToken cancellationToken)
    {
        if (question.SessionId is not { } sessionId || !_sessions.TryGetValue(sessionId, out var session) || _client is null)
            return new PermissionRequestResult { Decision = "deny", Message = "Only a chat of this ACP session can ask here." };
        var input = JsonNode.Parse(question.Input.GetRawText());
        var callId = session.OpenCall(question.Tool);
        if (callId is null)
        {
            // Asked before the call was told (the claude CLI asks first): tell it now, so the question has its call.
            callId = $"approval-{Guid.NewGuid():N}";
            session.Tell(callId, question.Tool, "pending");
            await UpdateAsync(sessionId, AcpUpdates.ToolCall(callId, question.Tool, input, "pending", folder)).ConfigureAwait(false);
        }
        // Stopping the turn (session/cancel) cancels the sidecar's question, which withdraws this one ($/cancel_request).
        try
        {
            var answer = await _client.RequestAsync(AcpMethods.RequestPermission, new AcpRequestPermissionRequest
            {
                SessionId = sessionId,
                ToolCall = AcpUpdates.Ref(callId, question.Tool, input, folder),
                Options = OptionsFor(question),
            }, cancellationToken).ConfigureAwait(false);
            return answer.Outcome switch
            {
                { Outcome: "selected", OptionId: AllowOnce } => new PermissionRequestResult { Decision = "allow" },
                { Outcome: "selected", OptionId: AllowNarrow } => new PermissionRequestResult
                {
                    Decision = "allowAlways", Scope = "workspace", CommandPrefix = question.SuggestedPrefix, PathGlob = question.SuggestedGlob,
                },
                { Outcome: "selected", OptionId: AllowAlways } => new PermissionRequestResult { Decision = "allowAlways", Scope = "task" },
                { Outcome: "selected" } => new PermissionRequestResult { Decision = "deny", Message = "The user rejected this in their editor." },
                _ => new PermissionRequestResult { Decision = "deny", Message = "The question was cancelled in the editor." },
            };
        }
        catch (OperationCanceledException)
        {
            return new PermissionRequestResult { Decision = "deny", Message = "The turn was stopped before the user answered." };
        }
        catch (Exception e) when (e is RpcException or IOException)
        {
            return new PermissionRequestResult { Decision = "deny", Message = $"The editor did not answer the question ({e.Message})." };
        }
    }

    private const string AllowOnce = "allow";
    private const string AllowAlways = "allow-always";
    private const string AllowNarrow = "allow-always-narrow";

    /// <summary>The options, with "Always allow `npm test` in this workspace" first among the always ones when there is a prefix or glob to offer.</summary>
    private static AcpPermissionOption[] OptionsFor(PermissionRequestParams question)
    {
        var narrow = question.SuggestedPrefix is { } prefix ? $"Always allow `{prefix}` in this workspace"
            : question.SuggestedGlob is { } glob ? $"Always allow {question.Tool} {glob} in this workspace" : null;
        return narrow is null ? s_options : [s_options[0], new() { OptionId = AllowNarrow, Name = narrow, Kind = "allow_always" }, .. s_options[1..]];
    }

    private static readonly AcpPermissionOption[] s_options =
    [
        new() { OptionId = AllowOnce, Name = "Allow", Kind = "allow_once" },
        new() { OptionId = AllowAlways, Name = "Always allow in this chat", Kind = "allow_always" },
        new() { OptionId = "reject", Name = "Reject", Kind = "reject_once" },
    ];

    /// <summary>
    /// The commands from files (docs/CUSTOMIZATIONS.md) as ACP's available commands, told once the session is the
    /// client's (just after the response that names it); a prompt starting <c>/name</c> runs one.
    /// </summary>
    private async Task CommandsAfterResponseAsync(string sessionId, CancellationToken cancellationToken)
    {
        // The list is read before the response (the first read scans the layouts), so only the short wait follows it.
        var items = (await sidecar.CallAsync(Contract.CustomizationsList, new EmptyParams(), cancellationToken).ConfigureAwait(false)).Items;
        var commands = items.Where(i => i.Kind == CustomizationKind.Command && i.Status == CustomizationStatus.Used)
            .Select(i => new AcpAvailableCommand { Name = i.Name, Description = i.Description ?? $"/{i.Name} from {Path.GetFileName(i.Source)}" }).ToList();
        _ = Task.Run(async () =>
        {
            await Task.Delay(50).ConfigureAwait(false);
            try
            {
                await UpdateAsync(sessionId, new AcpSessionUpdate { SessionUpdate = "available_commands_update", AvailableCommands = commands }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RpcException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away: nothing to tell.
            }
        }, CancellationToken.None);
    }

    private ValueTask UpdateAsync(string sessionId, AcpSessionUpdate update) =>
        _client?.NotifyAsync(AcpMethods.SessionUpdate, new AcpSessionNotification { SessionId = sessionId, Update = update }) ?? ValueTask.CompletedTask;

    /// <summary>The sidecar works in the folder <c>plue acp</c> was started in: a session elsewhere is refused, saying so.</summary>
    private void CheckFolder(string cwd)
    {
        if (!Path.IsPathFullyQualified(cwd)) throw RpcException.InvalidParams($"cwd: '{cwd}' is not an absolute path; ACP sessions name their folder absolutely.");
        if (!string.Equals(Path.GetFullPath(cwd).TrimEnd(Path.DirectorySeparatorChar), folder.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            throw RpcException.InvalidParams($"cwd: plue acp serves the folder it was started in ({folder}), not {cwd}; start it in {cwd} (editors start agents in the project's folder).");
    }
}
