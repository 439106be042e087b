using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Instances.Handlers;

/// <summary><c>instances/create</c>: an instance, never its key.</summary>
public sealed class CreateInstanceHandler(InstanceService instances) : RequestHandler<CreateInstanceParams, ProviderInstance>
{
    public override string Method => Methods.InstancesCreate;
    protected override JsonTypeInfo<CreateInstanceParams> ParamsType => PlueJsonContext.Default.CreateInstanceParams;
    protected override JsonTypeInfo<ProviderInstance> ResultType => PlueJsonContext.Default.ProviderInstance;

    public override ValueTask<ProviderInstance> HandleAsync(CreateInstanceParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ProviderInstance>(instances.Create(request));
}
