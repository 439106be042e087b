using Microsoft.Extensions.DependencyInjection;
using Plue.Codex.Kinds;
using Plue.Rpc;

namespace Plue.Customizations;

public static class CustomizationsServiceCollectionExtensions
{
    /// <summary>The customization files of every peer's layout and the records of their kinds, and <c>customizations/*</c>.</summary>
    public static IServiceCollection AddCustomizations(this IServiceCollection services)
    {
        services.AddSingleton<CustomizationRegistry>();
        services.AddSingleton(sp => new CustomCommandGate(sp.GetRequiredService<CustomizationRegistry>(), sp.GetRequiredService<JsonRpcPeer>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<CustomCommandGate>>()));
        services.AddEndpoints<CustomizationEndpoints>(atStart: true, "customizations/");
        foreach (var (_, templateId) in CustomizationRecords.Templates)
            services.AddSingleton<IRecordKind>(sp => new CustomizationRecordKind(templateId, sp.GetRequiredService<CustomizationRegistry>));
        return services;
    }
}
