using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/regenerate</c>.</summary>
public sealed class RegenerateHandler(ChatTurnRunner runner) : RequestHandler<SessionIdParams, SessionMessage>
{
    public override string Method => Methods.SessionRegenerate;
    protected override JsonTypeInfo<SessionIdParams> ParamsType => PlueJsonContext.Default.SessionIdParams;
    protected override JsonTypeInfo<SessionMessage> ResultType => PlueJsonContext.Default.SessionMessage;

    public override ValueTask<SessionMessage> HandleAsync(SessionIdParams request, RequestContext context, CancellationToken cancellationToken) =>
        new(runner.RegenerateAsync(request.SessionId, cancellationToken));
}
