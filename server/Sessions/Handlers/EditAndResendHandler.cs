using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/editAndResend</c>.</summary>
public sealed class EditAndResendHandler(ChatTurnRunner runner) : RequestHandler<SessionEditParams, SessionMessage>
{
    public override string Method => Methods.SessionEditAndResend;
    protected override JsonTypeInfo<SessionEditParams> ParamsType => PlueJsonContext.Default.SessionEditParams;
    protected override JsonTypeInfo<SessionMessage> ResultType => PlueJsonContext.Default.SessionMessage;

    public override ValueTask<SessionMessage> HandleAsync(SessionEditParams request, RequestContext context, CancellationToken cancellationToken) =>
        new(runner.EditAndResendAsync(request.SessionId, request.MessageId, request.Text, cancellationToken));
}
