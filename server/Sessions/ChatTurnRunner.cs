using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Providers;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Turns;

namespace Plue.Sessions;

/// <summary>
/// Runs one turn of a chat: stores the user's message, streams the assistant's answer from
/// the session's own instance and model into parts (persisted in small batches, sent to
/// the client as deltas), and records usage and cost. Cancelling keeps what arrived.
/// </summary>
public sealed partial class ChatTurnRunner(
    ChatTurnServices services,
    TurnEngine engine,
    SessionService sessions,
    MessageStore messages,
    TranscriptTurns turns,
    ActiveTurns active,
    ChatQueue queue,
    SessionEvents events,
    ChatTitles titles,
    Plue.Context.ContextAttachments context,
    ChatTurnSetup setup,
    ILogger<ChatTurnRunner> logger)
{
    /// <summary>The longest system message: instructions, not a document (attach a file for that).</summary>
    public const int MaxSystemChars = 100_000;

    /// <summary>Keeps "is a turn running" and "queue a message" one step, so a message is never queued after its chat's last turn took the queue.</summary>
    private readonly Lock _gate = new();

    /// <summary>The <c>session/send</c> requests waiting for their queued message's answer, by the queued message's id.</summary>
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SessionMessage>> _waiting = new(StringComparer.Ordinal);

    /// <summary>The chats whose running turn a steer stopped: their queue goes on when that turn ends (a Stop's does not).</summary>
    private readonly ConcurrentDictionary<string, bool> _steering = new(StringComparer.Ordinal);

    /// <param name="turn">The request's place among the sends written before it on its connection: a queued message joins the queue in that order.</param>
    public async Task<SessionMessage> SendAsync(string sessionId, string text, IReadOnlyList<Attachment>? attachments, CancellationToken cancellationToken, ArrivalTurn? turn = null)
    {
        if (string.IsNullOrWhiteSpace(text) && attachments is not { Count: > 0 }) throw RpcException.InvalidParams("text: say something, or attach something");
        var session = sessions.Record(sessionId);
        if (ChatStatuses.IsArchived(session.Status)) throw RpcException.InvalidParams("The chat is archived; unarchive it to continue");
        // @url and @codebase are fetched and searched now, so what cannot be had is refused before anything is stored or queued.
        attachments = await context.ResolveAsync(attachments, cancellationToken).ConfigureAwait(false);
        var images = (attachments ?? []).Where(a => a.Kind == AttachmentKind.Image).ToList();
        foreach (var image in images) ImageAttachments.Check(image);
        if (images.Count > 0 && sessions.ToSession(session) is { SupportsAttachments: false } textOnly)
            throw RpcException.InvalidParams($"attachments: {textOnly.ModelId} does not take images (says the catalog); change the model to send one");
        if (turn is not null) await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        CancellationTokenSource? running;
        string? queuedId = null;
        Task<QueuedMessage>? queuing = null;
        TaskCompletionSource<SessionMessage>? waiter = null;
        try
        {
            lock (_gate)
            {
                if (!active.TryStart(sessionId, cancellationToken, out running))
                {
                    // The chat is answering: the message waits in its queue (in the store) and is sent when the turn ends.
                    // Its waiter is there before its row, so the turn that takes it finds whom to answer.
                    queuedId = TranscriptIds.New();
                    waiter = new TaskCompletionSource<SessionMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _waiting[queuedId] = waiter;
                    queuing = queue.AddAsync(sessionId, text, attachments, queuedId);
                }
            }
        }
        finally
        {
            turn?.Pass();
        }
        if (queuing is null) return await SendNowAsync(sessionId, text, attachments, running!, cancellationToken).ConfigureAwait(false);
        QueuedMessage queued;
        try
        {
            queued = await queuing.ConfigureAwait(false);
        }
        catch
        {
            _waiting.TryRemove(queuedId!, out _);
            throw;
        }
        return await WaitForQueuedAsync(queued, waiter!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The chat's queue, in the order it will be sent.</summary>
    public IReadOnlyList<QueuedMessage> Queue(string sessionId) => queue.List(sessions.Record(sessionId).Id);

    public Task<QueuedMessage> EditQueuedAsync(string id, string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw RpcException.InvalidParams("text: write the message, or remove it from the queue");
        return queue.EditAsync(id, text.Trim());
    }

    /// <summary>Takes a message out of the queue unsent; the request that queued it ends with -32800.</summary>
    public async Task<bool> RemoveQueuedAsync(string id)
    {
        if (await queue.RemoveAsync(id).ConfigureAwait(false) is null) return false;
        if (_waiting.TryRemove(id, out var waiter))
            waiter.TrySetException(new RpcException(ErrorCodes.RequestCancelled, "The message was taken out of the queue before it was sent"));
        return true;
    }

    /// <summary>
    /// Sends a queued message now: the running turn stops where it is (what arrived kept, as with Stop) and the message
    /// is the next turn, ahead of the rest of the queue; with no turn running it is sent at once.
    /// </summary>
    public async Task<SessionSteerResult> SteerAsync(string id)
    {
        string sessionId;
        bool interrupted;
        Task moved;
        // One step with the queue's taking: a message that has just become the running turn is not stopped by its own steer.
        lock (_gate)
        {
            sessionId = queue.Get(id).SessionId;
            moved = queue.MoveToFrontAsync(id);
            _steering[sessionId] = true;
            interrupted = active.Cancel(sessionId);
        }
        if (!interrupted)
        {
            _steering.TryRemove(sessionId, out _);
            _ = Task.Run(() => DrainAsync(sessionId), CancellationToken.None);
        }
        await moved.ConfigureAwait(false);
        return new SessionSteerResult { Interrupted = interrupted };
    }

    private async Task<SessionMessage> WaitForQueuedAsync(QueuedMessage queued, TaskCompletionSource<SessionMessage> waiter, CancellationToken cancellationToken)
    {
        try
        {
            return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The request was cancelled: its message leaves the queue, unless its turn has already started.
            _waiting.TryRemove(queued.Id, out _);
            await queue.RemoveAsync(queued.Id).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends the first queued message of the chat, when no turn is running; its answer goes to the request that queued it.</summary>
    private async Task DrainAsync(string sessionId)
    {
        CancellationTokenSource? turn;
        Task<QueuedMessage?> taking;
        lock (_gate)
        {
            if (!active.TryStart(sessionId, CancellationToken.None, out turn)) return;
            // The row leaves the store now, under the gate; the change is told outside it.
            taking = queue.TakeFirstAsync(sessionId);
            if (taking is { IsCompletedSuccessfully: true, Result: null })
            {
                active.End(sessionId, turn);
                return;
            }
        }
        QueuedMessage? next;
        try
        {
            // An empty queue was seen under the gate above: TakeFirstAsync answers null before it waits for anything.
            next = await taking.ConfigureAwait(false) ?? throw new InvalidOperationException("the queue's first message went missing");
        }
        catch (Exception e)
        {
            lock (_gate) active.End(sessionId, turn);
            LogQueuedFailed(sessionId, e.Message);
            return;
        }
        _waiting.TryRemove(next.Id, out var waiter);
        try
        {
            var answer = await SendNowAsync(sessionId, next.Text, next.Attachments, turn, CancellationToken.None).ConfigureAwait(false);
            waiter?.TrySetResult(answer);
        }
        catch (Exception e)
        {
            if (waiter is null || !waiter.TrySetException(e)) LogQueuedFailed(sessionId, e.Message);
        }
    }

    /// <summary>A turn for the user's message, on a turn already claimed.</summary>
    private async Task<SessionMessage> SendNowAsync(string sessionId, string text, IReadOnlyList<Attachment>? attachments, CancellationTokenSource turn, CancellationToken cancellationToken)
    {
        ChatMessageTurn message;
        try
        {
            message = await setup.MessageAsync(sessionId, text, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            EndTurn(sessionId, turn);
            throw;
        }
        var answer = await RunAsync(sessionId, ChatTurnSetup.UserParts(message, attachments), cancellationToken, claimed: turn, turnOverride: message.Override).ConfigureAwait(false);
        if (message.ProvisionalTitle is { } provisional && answer.Status == MessageStatus.Complete)
            _ = Task.Run(() => titles.SummariseAsync(sessionId, provisional, CancellationToken.None), CancellationToken.None);
        return answer;
    }

    /// <summary>Ends a turn; its chat's queue goes on unless the turn was stopped (a steer's stop goes on).</summary>
    private void EndTurn(string sessionId, CancellationTokenSource turn)
    {
        var stopped = turn.IsCancellationRequested;
        lock (_gate) active.End(sessionId, turn);
        var steered = _steering.TryRemove(sessionId, out _);
        if ((!stopped || steered) && queue.Any(sessionId)) _ = Task.Run(() => DrainAsync(sessionId), CancellationToken.None);
    }

    /// <summary>Adds a system-role message to the chat; the next turn sends it as system content.</summary>
    public Task<SessionMessage> AddSystemAsync(string sessionId, string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw RpcException.InvalidParams("text: write what the system message says");
        if (text.Length > MaxSystemChars) throw RpcException.InvalidParams($"text: a system message holds at most {MaxSystemChars:N0} characters; this one has {text.Length:N0}");
        var session = sessions.Record(sessionId);
        if (ChatStatuses.IsArchived(session.Status)) throw RpcException.InvalidParams("The chat is archived; unarchive it to continue");
        return turns.AddSystemAsync(sessionId, text.Trim());
    }

    /// <summary>Answers the last user message again; the earlier answer is kept, superseded.</summary>
    public Task<SessionMessage> RegenerateAsync(string sessionId, CancellationToken cancellationToken)
    {
        sessions.Record(sessionId);
        var lastUser = messages.Messages(sessionId).LastOrDefault(m => m.Role == MessageRole.User)
            ?? throw RpcException.InvalidParams("There is no message to answer again");
        return RunAsync(sessionId, user: null, cancellationToken, supersedeFrom: lastUser.Seq + 1);
    }

    /// <summary>Replaces a user message with new text and answers it; what followed is kept, superseded.</summary>
    public Task<SessionMessage> EditAndResendAsync(string sessionId, string messageId, string text, CancellationToken cancellationToken)
    {
        sessions.Record(sessionId);
        var original = messages.Message(messageId);
        if (original is null || original.SessionId != sessionId) throw PlueErrors.NotFound($"Message '{messageId}' is not in this chat");
        if (original.Role != MessageRole.User) throw RpcException.InvalidParams("Only your own messages can be edited");
        var parts = original.Parts.Select(p => p is TextPart t ? t with { Id = TranscriptIds.New(), Text = text } : p with { Id = TranscriptIds.New() }).ToList();
        if (!parts.OfType<TextPart>().Any()) parts.Insert(0, new TextPart { Id = TranscriptIds.New(), Text = text });
        return RunAsync(sessionId, user: parts, cancellationToken, supersedeFrom: original.Seq);
    }

    public bool Cancel(string sessionId) => active.Cancel(sessionId);

    /// <summary>Start on a plan: the chat goes into <paramref name="modeId"/> (Agent by default), the plan is marked started, and a turn carries it.</summary>
    public async Task<SessionMessage> StartPlanAsync(string sessionId, string? messageId, string? modeId, CancellationToken cancellationToken)
    {
        var (chatId, handoff) = await setup.StartPlanAsync(sessionId, messageId, modeId, cancellationToken).ConfigureAwait(false);
        return await SendAsync(chatId, handoff, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Compacts the chat now (<c>/compact [focus]</c>), not while it answers.</summary>
    public async Task<SessionMessage> CompactAsync(string sessionId, string? focus, CancellationToken cancellationToken)
    {
        if (!active.TryStart(sessionId, cancellationToken, out var turn)) throw RpcException.InvalidParams("The chat is answering; stop it or wait, then compact");
        try
        {
            return await setup.CompactNowAsync(sessions.Record(sessionId), focus, turn.Token).ConfigureAwait(false);
        }
        catch (ProviderException e)
        {
            // The documented -33003 with the provider's words, never an internal error; the chat is left whole.
            throw e.ToRpcException();
        }
        finally
        {
            EndTurn(sessionId, turn);
        }
    }

    /// <summary>A turn of the chat on the one turn engine, the chat its owner (<see cref="ChatTurn"/>); its queue goes on when it ends.</summary>
    /// <param name="claimed">The turn, when the caller claimed it already (a send, or a queued message).</param>
    private async Task<SessionMessage> RunAsync(string sessionId, List<MessagePart>? user, CancellationToken requestToken, int? supersedeFrom = null, CancellationTokenSource? claimed = null,
        ChatTurnOverride? turnOverride = null)
    {
        var turn = claimed;
        if (turn is null && !active.TryStart(sessionId, requestToken, out turn))
            throw RpcException.InvalidParams("The chat is already answering; stop it or wait");
        try
        {
            return await engine.RunAsync(new ChatTurn(services, sessionId, user, supersedeFrom, turnOverride), turn.Token).ConfigureAwait(false);
        }
        finally
        {
            EndTurn(sessionId, turn);
            await events.SessionChangedAsync(sessionId).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A queued message of chat {SessionId} was not answered: {Reason}")]
    private partial void LogQueuedFailed(string sessionId, string reason);
}
