using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Instances.Handlers;

/// <summary><c>instances/setEnabled {id, enabled}</c>.</summary>
public sealed class SetInstanceEnabledHandler(InstanceService instances) : RequestHandler<SetInstanceEnabledParams, ProviderInstance>
{
    public override string Method => Methods.InstancesSetEnabled;
    protected override JsonTypeInfo<SetInstanceEnabledParams> ParamsType => PlueJsonContext.Default.SetInstanceEnabledParams;
    protected override JsonTypeInfo<ProviderInstance> ResultType => PlueJsonContext.Default.ProviderInstance;

    public override ValueTask<ProviderInstance> HandleAsync(SetInstanceEnabledParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ProviderInstance>(instances.SetEnabled(request.Id, request.Enabled));
}
