using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Plue.Rpc;

/// <summary>What a handler knows of the request it serves, and its way back to the client.</summary>
public sealed class RequestContext(JsonRpcPeer peer, RequestId? id, string method)
{
    public JsonRpcPeer Peer { get; } = peer;
    /// <summary>Null for notifications.</summary>
    public RequestId? Id { get; } = id;
    public string Method { get; } = method;

    /// <summary>For a method the peer serves in arrival order (<see cref="JsonRpcPeerOptions.InArrivalOrder"/>): its turn; else null.</summary>
    public ArrivalTurn? Turn { get; init; }

    /// <summary>Sends <c>$/progress</c> for a work-done or partial-result token the client gave.</summary>
    public ValueTask ReportProgressAsync<T>(RequestId token, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken = default) =>
        Peer.NotifyAsync(RpcMethods.ProgressNotification, new ProgressParams { Token = token, Value = JsonSerializer.SerializeToElement(value, type) },
            cancellationToken);
}
