using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Sidecar;
using Plue.Tests.Support;

namespace Plue.Tests.Protocol;

/// <summary>The contract and the endpoint tables agree: every method a client may call is served.</summary>
public sealed class ContractTableTests
{
    private static IEnumerable<RpcMethod> Methods() =>
        typeof(Contract).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetValue(null)).OfType<RpcMethod>();

    [Fact]
    public async Task EveryClientRequestOfTheContract_IsMappedByAnEndpointTable()
    {
        await using var sidecar = new InProcessSidecar();
        await sidecar.StartAsync();
        var router = sidecar.Services.GetRequiredService<SidecarCore>().Router;
        await router.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        // Every table made now, not on its first call: each must map only what it says it serves.
        router.MapAll();

        var unserved = Methods().Where(m => m.Direction == Direction.ClientToSidecar && m.ResultTypeInfo is not null && !router.HasRequest(m.Name))
            .Select(m => m.Name).ToList();

        Assert.True(unserved.Count == 0, "Contract methods no endpoint table maps: " + string.Join(", ", unserved));
    }

    [Fact]
    public void EveryMethodOfTheContract_HasAUniqueAreaVerbName()
    {
        var names = Methods().Select(m => m.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.Matches(@"^(initialize|[a-z]+/[a-zA-Z]+)$", n));
    }
}
