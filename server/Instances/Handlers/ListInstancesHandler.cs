using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Instances.Handlers;

/// <summary><c>instances/list</c>: configured instances, then those offered by API keys in the environment.</summary>
public sealed class ListInstancesHandler(InstanceService instances) : RequestHandler<EmptyParams, IReadOnlyList<ProviderInstance>>
{
    public override string Method => Methods.InstancesList;
    protected override JsonTypeInfo<EmptyParams> ParamsType => PlueJsonContext.Default.EmptyParams;
    protected override JsonTypeInfo<IReadOnlyList<ProviderInstance>> ResultType => PlueJsonContext.Default.IReadOnlyListProviderInstance;

    public override ValueTask<IReadOnlyList<ProviderInstance>> HandleAsync(EmptyParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<ProviderInstance>>(instances.List());
}
