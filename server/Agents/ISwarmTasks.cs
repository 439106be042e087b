using Plue.Protocol;

namespace Plue.Agents;

/// <summary>
/// Sub-tasks run as jobs on a swarm engine (docs/CLUSTERS.md): the job runs the sub-task's turn loop itself, so its
/// run here follows the job instead of running turns. The port the task runner sees; the host side of a job is the
/// Jobs area's (<c>Jobs/SwarmTasks</c>), which knows the task bundle and the job's events.
/// </summary>
public interface ISwarmTasks
{
    /// <summary>Whether the task runs as a swarm job: it is in a container tree on a swarm engine and starts no sub-tasks of its own (a task that does runs here, its sub-tasks there).</summary>
    bool RunsAsJob(CodexRecord task);

    /// <summary>Runs the task as a job to its end and says how it ended; its transcript, cost and work come back here as it goes.</summary>
    Task<TaskEnd> RunAsync(TaskRun run, CodexRecord task, CancellationToken cancellationToken);
}
