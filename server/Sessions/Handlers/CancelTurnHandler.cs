using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/cancel</c>: stops the streaming turn; its text so far is kept.</summary>
public sealed class CancelTurnHandler(ChatTurnRunner runner) : RequestHandler<SessionIdParams, CancelledResult>
{
    public override string Method => Methods.SessionCancel;
    protected override JsonTypeInfo<SessionIdParams> ParamsType => PlueJsonContext.Default.SessionIdParams;
    protected override JsonTypeInfo<CancelledResult> ResultType => PlueJsonContext.Default.CancelledResult;

    public override ValueTask<CancelledResult> HandleAsync(SessionIdParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new CancelledResult { Cancelled = runner.Cancel(request.SessionId) });
}
