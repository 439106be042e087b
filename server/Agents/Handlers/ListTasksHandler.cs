using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Handlers;

/// <summary><c>task/list</c>: every task, or the children of one, oldest first.</summary>
public sealed class ListTasksHandler(TaskViews views) : RequestHandler<TaskListParams, IReadOnlyList<AgentTask>>
{
    public override string Method => Methods.TaskList;
    protected override JsonTypeInfo<TaskListParams> ParamsType => PlueJsonContext.Default.TaskListParams;
    protected override JsonTypeInfo<IReadOnlyList<AgentTask>> ResultType => PlueJsonContext.Default.IReadOnlyListAgentTask;

    public override ValueTask<IReadOnlyList<AgentTask>> HandleAsync(TaskListParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(views.List(request.ParentId));
}
