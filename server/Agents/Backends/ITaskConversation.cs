using Plue.Protocol;

namespace Plue.Agents.Backends;

/// <summary>One run of a task on its backend; disposing it ends the backend's state for the run (the claude CLI's process).</summary>
public interface ITaskConversation : Turns.ITurnConversation
{
    /// <summary>On a resumed run, picks up the tool calls the last run's stop left unanswered on its last answer; false when there are none.</summary>
    Task<bool> ResumeToolCallsAsync(SessionMessage answer, CancellationToken cancellationToken);
}
