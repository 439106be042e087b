using Microsoft.Extensions.DependencyInjection;
using Plue.Rpc;

namespace Plue.LanguageModels;

public static class LanguageModelsServiceCollectionExtensions
{
    /// <summary>Plue's instances offered to VS Code's Language Model API: <c>lm/instanceModels</c>, <c>lm/respond</c>.</summary>
    public static IServiceCollection AddLanguageModels(this IServiceCollection services)
    {
        services.AddSingleton<PlueModels>();
        services.AddSingleton<PlueModelResponder>();
        services.AddSingleton<IEndpoints, LanguageModelEndpoints>();
        return services;
    }
}
