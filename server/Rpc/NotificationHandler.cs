using System.Text.Json.Serialization.Metadata;

namespace Plue.Rpc;

/// <summary>Base of a handler for one notification method.</summary>
public abstract class NotificationHandler<TParams> : IRpcHandler
{
    public abstract string Method { get; }
    protected abstract JsonTypeInfo<TParams> ParamsType { get; }

    public abstract ValueTask HandleAsync(TParams notification, RequestContext context);

    public void Register(RequestRouter router) => router.AddNotification(Method, ParamsType, HandleAsync);
}
