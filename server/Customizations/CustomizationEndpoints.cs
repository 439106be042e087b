using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Customizations;

/// <summary><c>customizations/list</c>: the customization files found, for the editor's view and <c>plue customizations list</c> alike.</summary>
public sealed class CustomizationEndpoints(CustomizationRegistry registry) : IEndpoints
{
    public void Map(RequestRouter router) =>
        router.Add(Contract.CustomizationsList, _ => new CustomizationsListResult { Items = registry.Current });
}
