using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Handlers;

/// <summary><c>task/steer</c>: a user message the running task reads before its next model call.</summary>
public sealed class SteerTaskHandler(TaskControl control) : RequestHandler<TaskSteerParams, AgentTask>
{
    public override string Method => Methods.TaskSteer;
    protected override JsonTypeInfo<TaskSteerParams> ParamsType => PlueJsonContext.Default.TaskSteerParams;
    protected override JsonTypeInfo<AgentTask> ResultType => PlueJsonContext.Default.AgentTask;

    public override ValueTask<AgentTask> HandleAsync(TaskSteerParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(control.Steer(request.Id, request.Text));
}
