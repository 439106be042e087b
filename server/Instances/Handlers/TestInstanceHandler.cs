using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Instances.Handlers;

/// <summary><c>instances/test {id}</c>: for now, what is missing, without a network call.</summary>
public sealed class TestInstanceHandler(InstanceService instances) : RequestHandler<IdParams, InstanceTestResult>
{
    public override string Method => Methods.InstancesTest;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<InstanceTestResult> ResultType => PlueJsonContext.Default.InstanceTestResult;

    public override ValueTask<InstanceTestResult> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<InstanceTestResult>(instances.Test(request.Id));
}
