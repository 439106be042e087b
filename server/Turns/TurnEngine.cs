using Plue.Instances;
using Plue.Protocol;

namespace Plue.Turns;

/// <summary>
/// The one agent loop, for every owner (<see cref="ITurnOwner{TEnd}"/>: a chat, a task) and every backend
/// (<see cref="ITurnConversation"/>: HTTP models, the claude CLI, ACP agents): the connection, the prompt hooks, then
/// model calls until one answers without a tool call for the sidecar; after tool calls the scoped instructions they
/// bring in join the next call, and an answer with none passes the Stop hooks, which may keep the turn going a bounded
/// number of times. Cancellation is the caller's token, checked by every step.
/// </summary>
public sealed class TurnEngine(InstanceResolver resolver, TurnHooks hooks, TurnInstructions instructions)
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
        var opened = await owner.OpenAsync(place, notices, cancellationToken).ConfigureAwait(false);
        await using (opened.Conversation.ConfigureAwait(false))
            return await LoopAsync(owner, place, opened, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TEnd> LoopAsync<TEnd>(ITurnOwner<TEnd> owner, TurnPlace place, TurnOpened opened, CancellationToken cancellationToken) where TEnd : class
    {
        var stops = 0;
        for (var call = 1; ; call++)
        {
            if (await owner.BeforeCallAsync(cancellationToken).ConfigureAwait(false) is { } before) return before;
            var answer = await opened.Conversation.AskAsync(cancellationToken).ConfigureAwait(false);
            if (await owner.AnsweredAsync(answer, cancellationToken).ConfigureAwait(false) is { } after) return after;
            var more = call < owner.MaxModelCalls;
            if (more && await opened.Conversation.RunToolCallsAsync(answer, cancellationToken).ConfigureAwait(false))
            {
                if (opened.Sent is { } sent) await instructions.JoinScopedAsync(place, sent, answer, opened.Options).ConfigureAwait(false);
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
}
