using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Handlers;

/// <summary><c>task/get</c>: one task with its live state and what its subtree spent.</summary>
public sealed class GetTaskHandler(TaskViews views) : RequestHandler<TaskIdParams, AgentTask>
{
    public override string Method => Methods.TaskGet;
    protected override JsonTypeInfo<TaskIdParams> ParamsType => PlueJsonContext.Default.TaskIdParams;
    protected override JsonTypeInfo<AgentTask> ResultType => PlueJsonContext.Default.AgentTask;

    public override ValueTask<AgentTask> HandleAsync(TaskIdParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(views.View(request.Id));
}
