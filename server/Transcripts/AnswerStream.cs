using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Providers;

namespace Plue.Transcripts;

/// <summary>
/// Folds one streamed answer into parts: consecutive text (or reasoning) grows one part,
/// a change of kind opens the next. Deltas reach the client as soon as the provider pauses (or within
/// <see cref="MaxDeltaWait"/>): those already read together go as one notification, so a fast stream costs a
/// notification per read, not per token. New parts and text reach the store through <see cref="TranscriptWriter"/>,
/// so the stream never waits for SQLite.
/// </summary>
internal sealed class AnswerStream(SessionMessage answer, MessageStore messages, TranscriptWriter writer, TranscriptEvents events, SpendLimit? limit = null)
{
    /// <summary>Where a backend that reports its own cost (the claude CLI, OpenRouter) puts it.</summary>
    public const string CostKey = ProviderUsage.CostKey;
    /// <summary>Where a backend that runs its own tools marks a result that failed, or whose run was refused.</summary>
    private const string ErrorKey = "isError", DeniedKey = "plue.denied", ApprovalKey = "plue.approval";

    /// <summary>How long text already read may wait for more to join it in one notification.</summary>
    private static readonly TimeSpan MaxDeltaWait = TimeSpan.FromMilliseconds(2);

    private readonly List<MessagePart> _parts = [];
    // Text of a part read but not yet sent to the client, and when its first piece was read.
    private readonly System.Text.StringBuilder _unsent = new();
    private MessagePart? _unsentPart;
    private long _unsentSince;
    private readonly HashSet<int> _changed = [];
    private MessagePart? _open;
    private int _openChars;
    /// <summary>Characters of text, reasoning and tool calls streamed, for estimating the usage of a reply cut before its usage came.</summary>
    private long _streamedChars;

    // What the provider told about the turn so far: its usage (and whether it told any), its own cost, why it stopped,
    // the model that answered, and an error it reported inside the stream.
    private TokenUsage _usage = TokenUsage.Zero;
    private bool _usageReported;
    private decimal? _reportedCost;
    private string? _finish, _model, _error;
    // The limit's reckoning: how to price usage, the characters sent (counted once), and whether the limit stopped the stream.
    private Func<AnswerRoute, TokenUsage, (decimal? Usd, CostSource Source)>? _cost;
    private long? _sentChars;
    private bool _capped;

    /// <param name="fallbacks">Asked in turn while <paramref name="primary"/> (then each) fails before anything was shown (see <see cref="FallbackChain.FallsBack"/>).</param>
    public async Task<SessionMessage> RunAsync(AnswerRoute primary, IEnumerable<AnswerRoute> fallbacks, List<ChatMessage> history, ChatOptions options,
        Func<AnswerRoute, TokenUsage, (decimal? Usd, CostSource Source)> cost, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _cost = cost;
        var (status, route, failed) = await StreamWithFallbacksAsync(primary, fallbacks, history, options, cancellationToken).ConfigureAwait(false);
        return await FinishAsync(status, route, failed, history, options, cost, clock).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams the answer from <paramref name="primary"/>, then from each fallback in turn while the one asked fails
    /// before anything reached the user; ends with what was sent flushed and stored. Says how the answer ended, the
    /// route that gave it, and the routes that failed before it.
    /// </summary>
    private async Task<(MessageStatus Status, AnswerRoute Route, List<FallbackAttempt> Failed)> StreamWithFallbacksAsync(AnswerRoute primary,
        IEnumerable<AnswerRoute> fallbacks, List<ChatMessage> history, ChatOptions options, CancellationToken cancellationToken)
    {
        var status = MessageStatus.Complete;
        var route = primary;
        var failed = new List<FallbackAttempt>();
        using var next = fallbacks.GetEnumerator();
        try
        {
            while (true)
            {
                try
                {
                    await StreamAsync(route, history, route == primary ? options : WithModel(options, route.ModelId), cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (ProviderException e) when (!cancellationToken.IsCancellationRequested && FallbackChain.FallsBack(e.Kind) && NothingShown && next.MoveNext())
                {
                    // Nothing reached the user yet: the next pair answers instead, and the message says who failed.
                    failed.Add(new FallbackAttempt { InstanceId = route.Connection.InstanceId, InstanceName = route.Connection.InstanceName ?? route.Connection.InstanceId, ModelId = route.ModelId, Error = e.Message });
                    route = next.Current;
                    _finish = _model = _error = null;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = MessageStatus.Cancelled;
        }
        catch (LimitReached)
        {
            // Stopped like a cancel (the provider's stream closed), so what arrived is kept and its usage counted.
            status = MessageStatus.Cancelled;
            _finish = SpendLimit.FinishReason;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            status = MessageStatus.Error;
            _error = e.Message;
        }
        finally
        {
            await SendUnsentAsync().ConfigureAwait(false);
            // Everything streamed is stored before the message is finished (and read back).
            await writer.FlushAsync().ConfigureAwait(false);
        }
        return (_error is not null && status == MessageStatus.Complete ? MessageStatus.Error : status, route, failed);
    }

    /// <summary>Whether nothing of the answer has reached the user (or been paid for): a failure now may fall back.</summary>
    private bool NothingShown => _parts.Count == 0 && _streamedChars == 0 && !_usageReported;

    /// <summary>Reads one route's stream to its end, folding each update into the parts.</summary>
    private async Task StreamAsync(AnswerRoute route, List<ChatMessage> history, ChatOptions asked, CancellationToken cancellationToken)
    {
        await using var updates = route.Client.GetStreamingResponseAsync(history, asked, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await NextAsync(updates).ConfigureAwait(false))
        {
            var update = updates.Current;
            foreach (var content in update.Contents) await ApplyAsync(content).ConfigureAwait(false);
            if (Sandbox.AgentProxies.ToldOutsideCalls(update) is { Count: > 0 } refused) AddDenialsOutsideCalls(refused);
            if (update.FinishReason is { } reason) _finish = reason.Value;
            _model ??= update.ModelId;
            if (update.AdditionalProperties?.TryGetValue(CostKey, out var c) == true && c is not null) _reportedCost = Convert.ToDecimal(c, System.Globalization.CultureInfo.InvariantCulture);
            // Only while the answer still grows: once it is whole, its usage arriving last changes nothing that stopping saves.
            if (limit is not null && _finish is null && update.Contents.Any(c => c is TextContent or TextReasoningContent or FunctionCallContent)
                && limit.Left(Counted(route, SoFar(history))) <= 0)
            {
                _capped = true;
                throw new LimitReached();
            }
        }
    }

    /// <summary>
    /// The usage so far: what the provider reported, the output at least what streamed (a provider may tell its input
    /// first and its output only at the end), or all of it estimated from the text when it reported nothing yet.
    /// </summary>
    private TokenUsage SoFar(List<ChatMessage> history)
    {
        var estimate = UsageEstimate.Of(_sentChars ??= UsageEstimate.SentChars(history), _streamedChars);
        return !_usageReported ? estimate : _usage.Output >= estimate.Output ? _usage : _usage with { Output = estimate.Output, Estimated = true };
    }

    /// <summary>What the call has cost so far as a spend cap counts it: the provider's figure, the catalog's, else the tokens at the unpriced rate.</summary>
    private decimal Counted(AnswerRoute route, TokenUsage usage) =>
        _reportedCost ?? _cost!(route, usage).Usd ?? (usage.Input + usage.Output) * limit!.UnpricedUsdPerMillion / 1_000_000m;

    /// <summary>The call reached its spend limit: the stream is left, its connection closed.</summary>
    private sealed class LimitReached : Exception;

    /// <summary>One piece of an update: text and reasoning grow their part, a tool call or result adds one, usage and errors are noted.</summary>
    private async ValueTask ApplyAsync(AIContent content)
    {
        switch (content)
        {
            case TextReasoningContent reasoning:
                await AppendAsync(PartKind.Reasoning, reasoning.Text).ConfigureAwait(false);
                if (reasoning.ProtectedData is { } signature && _open is ReasoningPart open) Change(open, p => ((ReasoningPart)p) with { Signature = signature });
                break;
            case TextContent text:
                await AppendAsync(PartKind.Text, text.Text).ConfigureAwait(false);
                break;
            case FunctionCallContent call:
                AddToolCall(call);
                break;
            case FunctionResultContent result:
                AddToolResult(result);
                break;
            case UsageContent used:
                _usage = _usage.Add(UsageMapping.From(used.Details));
                _usageReported = true;
                break;
            case ErrorContent failure:
                _error = failure.Message;
                break;
        }
    }

    private void AddToolCall(FunctionCallContent call)
    {
        _streamedChars += UsageEstimate.Chars(call);
        Add(new ToolUsePart
        {
            Id = TranscriptIds.New(), ToolCallId = call.CallId, Name = call.Name, State = ToolState.Running,
            Input = call.Arguments is null ? null : JsonSerializer.SerializeToNode(call.Arguments, PlueJsonContext.Default.IDictionaryStringObject),
        });
    }

    /// <summary>A tool's result, which also settles its call's state.</summary>
    private void AddToolResult(FunctionResultContent result)
    {
        // A backend that runs its own tools (the claude CLI) says so in properties: an error, or a refusal.
        var denied = Flag(result, DeniedKey);
        var isError = denied || result.Exception is not null || Flag(result, ErrorKey);
        var use = _parts.FindIndex(p => p is ToolUsePart u && u.ToolCallId == result.CallId);
        // ...and the rule its approval question was decided by, so its card reads as a plue tool's ("allowed by grant …").
        var approval = result.AdditionalProperties?.TryGetValue(ApprovalKey, out var decided) == true ? decided as ToolApproval : null;
        if (use >= 0)
            Change(_parts[use], p => ((ToolUsePart)p) with { State = denied ? ToolState.Denied : isError ? ToolState.Error : ToolState.Completed, Approval = approval ?? ((ToolUsePart)p).Approval });
        // A hosted agent's sandbox refused these hosts while the tool ran: its card offers to allow them.
        var refused = Sandbox.AgentProxies.Told(result);
        Add(new ToolResultPart
        {
            Id = TranscriptIds.New(), ToolCallId = result.CallId, Output = result.Result?.ToString(), IsError = isError,
            SandboxDenials = refused.Count == 0 ? null : Plue.Sandbox.SandboxDenial.Info(refused),
        });
    }

    /// <summary>
    /// A hosted agent's sandbox refused these hosts while none of its tool calls ran: a result of no call (never sent to
    /// a model again), whose card offers to allow them as a call's does.
    /// </summary>
    private void AddDenialsOutsideCalls(IReadOnlyList<Sandbox.SandboxDenial> refused) => Add(new ToolResultPart
    {
        Id = TranscriptIds.New(), IsError = false,
        Output = $"[The sandbox denied the agent, outside any of its tool calls: {string.Join(", ", refused.Select(d => d.Kind == Sandbox.SandboxDenial.Host ? $"connecting to {d.What}" : $"writing {d.What}"))}. Allow it if the agent needs it, then ask it to try again.]",
        SandboxDenials = Plue.Sandbox.SandboxDenial.Info(refused),
    });

    /// <summary>
    /// Stores the parts changed after they were written, the turn's step (usage, cost, model, latency) and the message's
    /// end, then tells the client the finished message and returns it as stored.
    /// </summary>
    private async Task<SessionMessage> FinishAsync(MessageStatus status, AnswerRoute route, List<FallbackAttempt> failed, List<ChatMessage> history,
        ChatOptions options, Func<AnswerRoute, TokenUsage, (decimal? Usd, CostSource Source)> cost, Stopwatch clock)
    {
        foreach (var index in _changed) messages.UpdatePart(Current(index));
        // A reply stopped or cut before the provider told its usage was still paid for: estimate it, never call it 0.
        var usage = _capped ? SoFar(history)
            : !_usageReported && (status == MessageStatus.Cancelled || _streamedChars > 0) ? UsageEstimate.Of(history, _streamedChars) : _usage;
        var (turnCost, source) = _reportedCost is { } own ? (own, CostSource.Provider) : cost(route, usage);
        var step = new StepPart
        {
            Id = TranscriptIds.New(), Usage = usage, CostUsd = turnCost, CostSource = source, Model = _model ?? route.ModelId,
            LatencyMs = clock.ElapsedMilliseconds, FinishReason = _finish ?? StoredNames.Of(status),
            Truncation = _usageReported ? TruncationCheck.Of(history, options.Instructions, usage, route.Connection) : null,
        };
        messages.InsertPart(answer.Id, _parts.Count, step);
        messages.Finish(answer.Id, status, _error, usage, turnCost, source, _model, failed.Count == 0 ? null : (route.Connection.InstanceId, _model ?? route.ModelId, failed));
        var final = messages.Message(answer.Id)!;
        await events.MessageUpdatedAsync(final).ConfigureAwait(false);
        return final;
    }

    private static ChatOptions WithModel(ChatOptions options, string modelId)
    {
        var asked = options.Clone();
        asked.ModelId = modelId;
        return asked;
    }

    private async Task AppendAsync(PartKind kind, string? delta)
    {
        if (string.IsNullOrEmpty(delta)) return;
        if (_open?.Kind != kind)
        {
            _open = Add(kind == PartKind.Reasoning ? new ReasoningPart { Id = TranscriptIds.New(), Text = "" } : new TextPart { Id = TranscriptIds.New(), Text = "" });
            _openChars = 0;
        }
        // A part past the limit would make the chat too large to read back: keep up to the limit, then stop the answer.
        var room = StreamLimits.MaxPartChars - _openChars;
        var over = delta.Length > room;
        if (over) delta = delta[..(room > 0 && char.IsHighSurrogate(delta[room - 1]) ? room - 1 : room)];
        _openChars += delta.Length;
        _streamedChars += delta.Length;
        if (delta.Length > 0)
        {
            writer.Append(_open.Id, delta);
            if (_unsentPart?.Id != _open.Id) await SendUnsentAsync().ConfigureAwait(false);
            if (_unsent.Length == 0) _unsentSince = Stopwatch.GetTimestamp();
            _unsentPart = _open;
            _unsent.Append(delta);
        }
        if (over)
        {
            throw new ProviderException(ProviderErrorKind.Malformed, $"The answer stopped: one of its parts grew past {StreamLimits.MaxPartChars / (1024 * 1024)} Mi "
                + "characters, far more than any model writes in one answer, so the provider is misbehaving. What arrived up to the limit is kept; retry.");
        }
    }

    /// <summary>
    /// The next update; before waiting for one that has not arrived (or once text has waited <see cref="MaxDeltaWait"/>),
    /// the text read so far goes to the client.
    /// </summary>
    private async ValueTask<bool> NextAsync(IAsyncEnumerator<ChatResponseUpdate> updates)
    {
        var next = updates.MoveNextAsync();
        if (_unsent.Length > 0 && (!next.IsCompleted || Stopwatch.GetElapsedTime(_unsentSince) >= MaxDeltaWait))
            await SendUnsentAsync().ConfigureAwait(false);
        return await next.ConfigureAwait(false);
    }

    private async ValueTask SendUnsentAsync()
    {
        if (_unsent.Length == 0 || _unsentPart is null) return;
        var delta = _unsent.ToString();
        _unsent.Clear();
        await events.PartDeltaAsync(answer.SessionId, answer.Id, _unsentPart, delta).ConfigureAwait(false);
    }

    private MessagePart Add(MessagePart part)
    {
        _parts.Add(part);
        writer.InsertPart(answer.Id, _parts.Count - 1, part);
        if (part is not (TextPart or ReasoningPart)) _open = null;
        return part;
    }

    // Text is stored by appending; other members changed later are written once, at the end.
    private void Change(MessagePart part, Func<MessagePart, MessagePart> change)
    {
        var index = _parts.IndexOf(part);
        _parts[index] = change(part);
        if (ReferenceEquals(_open, part)) _open = _parts[index];
        _changed.Add(index);
    }

    private MessagePart Current(int index)
    {
        var stored = messages.Message(answer.Id)!.Parts.First(p => p.Id == _parts[index].Id);
        return PartText.With(_parts[index], PartText.Of(stored));
    }

    private static bool Flag(FunctionResultContent result, string key) =>
        result.AdditionalProperties?.TryGetValue(key, out var value) == true && value is true;
}
