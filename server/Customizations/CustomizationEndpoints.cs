using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Customizations;

/// <summary>
/// <c>customizations/list</c>: the customizations found and made, for the editor's view and <c>plue customizations
/// list</c> alike; <c>customizations/copy</c> (Copy to Plue); <c>customizations/changed</c> with the list when it changes.
/// </summary>
public sealed class CustomizationEndpoints(CustomizationRegistry registry, JsonRpcPeer peer) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.CustomizationsList, _ => new CustomizationsListResult { Items = registry.Current });
        router.Add(Contract.CustomizationsCopy, registry.Copy);
        registry.Changed += () => _ = peer.NotifyAsync(Contract.CustomizationsChanged, new CustomizationsListResult { Items = registry.Current }).AsTask();
    }
}
