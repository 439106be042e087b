using Microsoft.Extensions.DependencyInjection;
using Plue.Rpc;

namespace Plue.Providers.VsCodeLm;

public static class VsCodeLmServiceCollectionExtensions
{
    /// <summary>The vscode-lm backend: the parts of <c>lm/chat</c> answers in flight, the editor's model list, <c>lm/chatPart</c>.</summary>
    public static IServiceCollection AddVsCodeLm(this IServiceCollection services)
    {
        services.AddSingleton<LmPartStreams>();
        services.AddSingleton<VsCodeLmModels>();
        services.AddSingleton<IEndpoints, VsCodeLmEndpoints>();
        return services;
    }
}
