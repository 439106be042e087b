using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Plue.Rpc;

namespace Plue.Providers.ClaudeCode;

public static class ClaudeCodeServiceCollectionExtensions
{
    /// <summary>The claude-code backend: the live CLI sessions (ended with the host) and <c>auth/claudeCode</c>.</summary>
    public static IServiceCollection AddClaudeCode(this IServiceCollection services)
    {
        services.TryAddSingleton(ClaudeCodeLimits.FromEnvironment());
        services.AddSingleton(sp => new ClaudeCodeSessions(sp.GetService<Microsoft.Extensions.Logging.ILogger<ClaudeCodeSessions>>(), sp.GetRequiredService<ClaudeCodeLimits>()));
        services.TryAddSingleton(new ClaudeCodeChildEnvironment());
        services.AddEndpoints<ClaudeCodeEndpoints>("auth/claudeCode");
        return services;
    }
}
