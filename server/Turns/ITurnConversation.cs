using Plue.Protocol;

namespace Plue.Turns;

/// <summary>
/// A turn's backend, opened by its owner: the sidecar's own tool loop on an HTTP model, or an agent whose one answer
/// holds its whole tool loop (the claude CLI, an ACP agent). Disposing it ends the backend's state for the turn.
/// </summary>
public interface ITurnConversation : IAsyncDisposable
{
    /// <summary>Asks the model once with the transcript so far; the answer streams into the transcript, stopped at <paramref name="limit"/> (a spend cap's room; null: none).</summary>
    Task<SessionMessage> AskAsync(Transcripts.SpendLimit? limit, CancellationToken cancellationToken);

    /// <summary>Runs the tool calls a complete answer left for the sidecar and stores their results; false when it left none.</summary>
    Task<bool> RunToolCallsAsync(SessionMessage answer, CancellationToken cancellationToken);
}
