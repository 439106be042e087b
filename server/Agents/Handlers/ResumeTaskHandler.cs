using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Handlers;

/// <summary><c>task/resume</c>: a paused, failed or cancelled task goes on from its transcript, queued again.</summary>
public sealed class ResumeTaskHandler(TaskControl control) : RequestHandler<TaskResumeParams, AgentTask>
{
    public override string Method => Methods.TaskResume;
    protected override JsonTypeInfo<TaskResumeParams> ParamsType => PlueJsonContext.Default.TaskResumeParams;
    protected override JsonTypeInfo<AgentTask> ResultType => PlueJsonContext.Default.AgentTask;

    public override ValueTask<AgentTask> HandleAsync(TaskResumeParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(control.Resume(request.Id, request.SpendCapUsd));
}
