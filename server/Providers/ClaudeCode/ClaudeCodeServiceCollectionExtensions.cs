using Microsoft.Extensions.DependencyInjection;
using Plue.Rpc;

namespace Plue.Providers.ClaudeCode;

public static class ClaudeCodeServiceCollectionExtensions
{
    /// <summary>The claude-code backend: the live CLI sessions (ended with the host) and <c>auth/claudeCode</c>.</summary>
    public static IServiceCollection AddClaudeCode(this IServiceCollection services)
    {
        services.AddSingleton<ClaudeCodeSessions>();
        services.AddSingleton<IRpcHandler, GetClaudeCodeAuthHandler>();
        return services;
    }
}
