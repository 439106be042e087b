using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Instances.Handlers;

/// <summary><c>instances/get {id}</c>.</summary>
public sealed class GetInstanceHandler(InstanceService instances) : RequestHandler<IdParams, ProviderInstance>
{
    public override string Method => Methods.InstancesGet;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<ProviderInstance> ResultType => PlueJsonContext.Default.ProviderInstance;

    public override ValueTask<ProviderInstance> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ProviderInstance>(instances.Get(request.Id));
}
