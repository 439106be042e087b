using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Handlers;

/// <summary><c>task/interrupt</c>: stops the task and its subtree, answering once they have stopped (partial transcripts kept).</summary>
public sealed class InterruptTaskHandler(TaskControl control) : RequestHandler<TaskIdParams, AgentTask>
{
    public override string Method => Methods.TaskInterrupt;
    protected override JsonTypeInfo<TaskIdParams> ParamsType => PlueJsonContext.Default.TaskIdParams;
    protected override JsonTypeInfo<AgentTask> ResultType => PlueJsonContext.Default.AgentTask;

    public override ValueTask<AgentTask> HandleAsync(TaskIdParams request, RequestContext context, CancellationToken cancellationToken) =>
        new(control.InterruptAsync(request.Id));
}
