using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Instances.Handlers;

/// <summary><c>instances/update {id, version, ...}</c>: optimistic concurrency on <c>version</c>.</summary>
public sealed class UpdateInstanceHandler(InstanceService instances) : RequestHandler<UpdateInstanceParams, ProviderInstance>
{
    public override string Method => Methods.InstancesUpdate;
    protected override JsonTypeInfo<UpdateInstanceParams> ParamsType => PlueJsonContext.Default.UpdateInstanceParams;
    protected override JsonTypeInfo<ProviderInstance> ResultType => PlueJsonContext.Default.ProviderInstance;

    public override ValueTask<ProviderInstance> HandleAsync(UpdateInstanceParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ProviderInstance>(instances.Update(request));
}
