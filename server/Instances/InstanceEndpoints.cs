using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Instances;

/// <summary>The instances methods: configured and environment instances, their test call and their models.</summary>
public sealed class InstanceEndpoints(InstanceService instances, InstanceChecks checks) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.InstancesCreate, instances.Create);
        router.Add(Contract.InstancesList, _ => instances.List());
        router.Add(Contract.InstancesGet, p => instances.Get(p.Id));
        router.Add(Contract.InstancesUpdate, instances.Update);
        router.Add(Contract.InstancesDelete, p =>
        {
            instances.Delete(p.Id);
            return new DeletedResult { Deleted = true };
        });
        router.Add(Contract.InstancesSetEnabled, (p, ct) => checks.SetEnabledAsync(p.Id, p.Enabled, ct));
        router.Add(Contract.InstancesTest, (p, ct) => checks.TestAsync(p.Id, ct));
        router.Add(Contract.InstancesModels, (p, ct) => checks.ModelsAsync(p.Id, ct));
    }
}
