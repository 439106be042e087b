using System.Text.Json.Serialization.Metadata;

namespace Plue.Rpc;

/// <summary>Base of a handler for one request method: typed params in, typed result out.</summary>
public abstract class RequestHandler<TParams, TResult> : IRpcHandler
{
    public abstract string Method { get; }
    protected abstract JsonTypeInfo<TParams> ParamsType { get; }
    protected abstract JsonTypeInfo<TResult> ResultType { get; }

    public abstract ValueTask<TResult> HandleAsync(TParams request, RequestContext context, CancellationToken cancellationToken);

    /// <summary>The type infos are read on the first call, not here: see <see cref="RequestRouter"/>.</summary>
    public void Register(RequestRouter router) => router.AddRequest(Method, () => ParamsType, () => ResultType, HandleAsync);
}
