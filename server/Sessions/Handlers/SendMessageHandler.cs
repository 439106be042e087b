using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions.Handlers;

/// <summary><c>session/send</c>: streams deltas, answers with the finished message.</summary>
public sealed class SendMessageHandler(ChatTurnRunner runner) : RequestHandler<SessionSendParams, SessionMessage>
{
    public override string Method => Methods.SessionSend;
    protected override JsonTypeInfo<SessionSendParams> ParamsType => PlueJsonContext.Default.SessionSendParams;
    protected override JsonTypeInfo<SessionMessage> ResultType => PlueJsonContext.Default.SessionMessage;

    public override ValueTask<SessionMessage> HandleAsync(SessionSendParams request, RequestContext context, CancellationToken cancellationToken) =>
        new(runner.SendAsync(request.SessionId, request.Text, request.Attachments, cancellationToken));
}
