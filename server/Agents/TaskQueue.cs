using Plue.Protocol;
using Plue.Sessions;
using Plue.Transcripts;

namespace Plue.Agents;

/// <summary>
/// A task's queue: messages the user sent while it ran, kept in the store beside the chats' (<see cref="ChatQueue"/>,
/// the same rows, edited and removed by <c>session/queueEdit</c> and <c>session/queueRemove</c>, told by
/// <c>session/queueChanged</c> with the task's id) so a restart of the sidecar loses none. They are sent when the
/// model's turn ends (before its next call; a run about to complete reads them first), or one at once as a steer.
/// A message typed as <c>/name args</c> of a used command sends its body with the arguments put in, as a chat's does.
/// </summary>
public sealed class TaskQueue(ChatQueue queue, TranscriptTurns turns, Customizations.CustomizationRegistry customizations, Customizations.CustomCommandGate commandGate)
{
    public IReadOnlyList<QueuedMessage> List(string taskId) => queue.List(taskId);

    public Task<QueuedMessage> AddAsync(string taskId, string text) => queue.AddAsync(taskId, text, null);

    /// <summary>Sends every queued message of the task, in order, into its transcript; whether there were any.</summary>
    public async Task<bool> SendAllAsync(string taskId)
    {
        var sent = false;
        while (await queue.TakeFirstAsync(taskId).ConfigureAwait(false) is { } next)
        {
            await SendAsync(next).ConfigureAwait(false);
            sent = true;
        }
        return sent;
    }

    /// <summary>Sends one queued message now, ahead of the rest; returns the task's id.</summary>
    public async Task<string> SteerAsync(string messageId)
    {
        var queued = await queue.RemoveAsync(messageId).ConfigureAwait(false) ?? throw PlueErrors.NotFound("That message is no longer queued: it was sent or removed");
        await SendAsync(queued).ConfigureAwait(false);
        return queued.SessionId;
    }

    /// <summary>
    /// Into the transcript; a command expanded when it is sent (the file may have changed meanwhile). Its model, tools
    /// and mode change the task only as its goal: a running task keeps them, and the message says so.
    /// </summary>
    private async Task SendAsync(QueuedMessage queued)
    {
        var part = new TextPart { Id = TranscriptIds.New(), Text = queued.Text };
        if (Customizations.CustomCommands.Find(customizations.Commands, queued.Text) is var (gated, typed)
            && !await commandGate.AllowedAsync(gated, null, queued.SessionId, CancellationToken.None).ConfigureAwait(false))
            part = part with { Command = new CommandUse { Name = gated.Name, Arguments = typed.Length > 0 ? typed : null, Source = gated.Source, Notes = [Customizations.CustomCommandGate.NotRun] } };
        else if (Customizations.CustomCommands.Find(customizations.Commands, queued.Text) is var (command, arguments))
        {
            var asks = new[] { command.Model is null ? null : "model", command.Tools is null ? null : "tools", command.Mode is null ? null : "mode" }.OfType<string>().ToList();
            part = part with
            {
                Text = Customizations.CustomCommands.Expand(command.Body, arguments),
                Command = new CommandUse
                {
                    Name = command.Name, Arguments = arguments.Length > 0 ? arguments : null, Source = command.Source,
                    Notes = asks.Count > 0 ? [$"not applied to a running task, which keeps its own: {string.Join(", ", asks)}"] : null,
                },
            };
        }
        await turns.AddUserAsync(queued.SessionId, [part]).ConfigureAwait(false);
    }
}
