using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Instances.Handlers;

/// <summary><c>instances/test {id}</c>: the cheapest real call of the instance's backend, with its latency.</summary>
public sealed class TestInstanceHandler(Plue.Providers.InstanceChecks checks) : RequestHandler<IdParams, InstanceTestResult>
{
    public override string Method => Methods.InstancesTest;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<InstanceTestResult> ResultType => PlueJsonContext.Default.InstanceTestResult;

    public override ValueTask<InstanceTestResult> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken) =>
        new(checks.TestAsync(request.Id, cancellationToken));
}
