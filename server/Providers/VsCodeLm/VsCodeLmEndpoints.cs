using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Providers.VsCodeLm;

/// <summary><c>lm/chatPart</c>: the client's streamed parts of an <c>lm/chat</c> answer, handed to the waiting chat client.</summary>
public sealed partial class VsCodeLmEndpoints(LmPartStreams streams, ILogger<VsCodeLmEndpoints> logger) : IEndpoints
{
    public void Map(RequestRouter router) =>
        router.Add(Contract.LmChatPart, (part, _) =>
        {
            if (!streams.Post(part)) LogLatePart(part.RequestId);
            return ValueTask.CompletedTask;
        });

    [LoggerMessage(Level = LogLevel.Debug, Message = "lm/chatPart for request {RequestId}, which is not waiting (finished or cancelled): dropped")]
    private partial void LogLatePart(string requestId);
}
