using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;
using Plue.Transcripts;

namespace Plue.Turns;

/// <summary>
/// The one agent loop, for every owner (<see cref="ITurnOwner{TEnd}"/>: a chat, a task) and every backend
/// (<see cref="ITurnConversation"/>: HTTP models, the claude CLI, ACP agents): the connection, the prompt hooks, the
/// turn's message stored (after compaction, when due, so it follows the summary), then model calls until one answers
/// without a tool call for the sidecar. Before each call the owner's spend cap is checked and the conversation compacted
/// when it nears its window; each call is counted against the cap as it streams. After tool calls the scoped instructions
/// they bring in join the next call, and an answer with none passes the Stop hooks, which may keep the turn going a
/// bounded number of times. Cancellation is the caller's token, checked by every step.
/// </summary>
public sealed class TurnEngine(InstanceResolver resolver, TurnHooks hooks, TurnInstructions instructions, TurnCompaction compaction, TranscriptTurns turns)
{
    public async Task<TEnd> RunAsync<TEnd>(ITurnOwner<TEnd> owner, CancellationToken cancellationToken) where TEnd : class
    {
        var connection = resolver.Resolve(owner.InstanceId);
        var start = await owner.StartAsync(connection, cancellationToken).ConfigureAwait(false);
        // On a Claude Code backend the CLI runs Claude Code's settings files' hooks itself: never twice.
        var place = new TurnPlace(owner.Id, start.Folders, start.Sandbox, connection.ProviderType == Catalog.ProviderTypes.ClaudeCode);
        IReadOnlyList<HookPart> notices = [];
        if (start.Prompt is { } prompt)
        {
            // A prompt its hooks block changes nothing: they run before anything is stored.
            var hooked = await hooks.PromptAsync(place, prompt, start.First, cancellationToken).ConfigureAwait(false);
            if (hooked.Blocked) return owner.Blocked(hooked.Feedback ?? "");
            notices = hooked.Notices;
        }
        var prepared = await owner.PrepareAsync(place, notices, cancellationToken).ConfigureAwait(false);
        if (prepared.Message is { } message)
        {
            // The first call's compaction comes before its message is stored: the message follows the summary, never in it.
            await compaction.IfDueAsync(owner.Id, connection, prepared.Compaction, prepared.Options.Instructions, message, cancellationToken).ConfigureAwait(false);
            await turns.AddUserAsync(owner.Id, message).ConfigureAwait(false);
        }
        var conversation = await owner.OpenAsync(prepared, cancellationToken).ConfigureAwait(false);
        await using (conversation.ConfigureAwait(false))
            return await LoopAsync(owner, new Opened(place, connection, conversation, prepared), cancellationToken).ConfigureAwait(false);
    }

    private sealed record Opened(TurnPlace Place, ProviderConnection Connection, ITurnConversation Conversation, TurnPrepared Prepared);

    private async Task<TEnd> LoopAsync<TEnd>(ITurnOwner<TEnd> owner, Opened turn, CancellationToken cancellationToken) where TEnd : class
    {
        var (place, conversation, prepared) = (turn.Place, turn.Conversation, turn.Prepared);
        var stops = 0;
        for (var call = 1; ; call++)
        {
            if (await owner.BeforeCallAsync(cancellationToken).ConfigureAwait(false) is { } before) return before;
            if (owner.Cap?.Reached() is { } capped) return owner.Capped(capped);
            // A turn that stored a message checked compaction before storing it; every other call checks now.
            if (call > 1 || prepared.Message is null)
                await compaction.IfDueAsync(owner.Id, turn.Connection, prepared.Compaction, prepared.Options.Instructions, null, cancellationToken).ConfigureAwait(false);
            var answer = await AskAsync(owner.Cap, conversation, cancellationToken).ConfigureAwait(false);
            // What follows (storing the answer, hooks, approvals, tools) may block: never on the socket thread.
            await Rpc.SocketThread.Leave();
            var after = await owner.AnsweredAsync(answer, cancellationToken).ConfigureAwait(false);
            // A call stopped at a spend cap ends the turn as the cap does between calls.
            if (answer.Status != MessageStatus.Complete && owner.Cap?.Reached() is { } stopped) return owner.Capped(stopped);
            if (after is not null) return after;
            var more = call < owner.MaxModelCalls;
            if (more && await conversation.RunToolCallsAsync(answer, cancellationToken).ConfigureAwait(false))
            {
                if (prepared.Sent is { } sent) await instructions.JoinScopedAsync(place, sent, answer, prepared.Options).ConfigureAwait(false);
                continue;
            }
            // The answer is the last word, unless a Stop hook (exit 2) asks for more, a bounded number of times.
            if (more && await hooks.StopAsync(place, answer, stops, cancellationToken).ConfigureAwait(false))
            {
                stops++;
                continue;
            }
            if (await owner.FinishedAsync(answer, cancellationToken).ConfigureAwait(false) is { } end) return end;
        }
    }

    /// <summary>One model call, counted against the owner's spend cap as it streams (the calls of a task's tree share its room).</summary>
    private static async Task<SessionMessage> AskAsync(ITurnCap? cap, ITurnConversation conversation, CancellationToken cancellationToken)
    {
        using var counted = cap?.Begin();
        return await conversation.AskAsync(counted?.Limit, cancellationToken).ConfigureAwait(false);
    }
}
