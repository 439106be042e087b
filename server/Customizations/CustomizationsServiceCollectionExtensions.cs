using Microsoft.Extensions.DependencyInjection;
using Plue.Rpc;

namespace Plue.Customizations;

public static class CustomizationsServiceCollectionExtensions
{
    /// <summary>The customization files of every peer's layout, and <c>customizations/list</c>.</summary>
    public static IServiceCollection AddCustomizations(this IServiceCollection services)
    {
        services.AddSingleton<CustomizationRegistry>();
        services.AddSingleton<IEndpoints, CustomizationEndpoints>();
        return services;
    }
}
