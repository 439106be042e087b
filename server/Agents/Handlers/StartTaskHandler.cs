using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Handlers;

/// <summary><c>task/start</c>: the task, queued; its run goes on in the background, not tied to this request.</summary>
public sealed class StartTaskHandler(TaskControl control) : RequestHandler<TaskStartParams, AgentTask>
{
    public override string Method => Methods.TaskStart;
    protected override JsonTypeInfo<TaskStartParams> ParamsType => PlueJsonContext.Default.TaskStartParams;
    protected override JsonTypeInfo<AgentTask> ResultType => PlueJsonContext.Default.AgentTask;

    public override ValueTask<AgentTask> HandleAsync(TaskStartParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(control.Start(request));
}
