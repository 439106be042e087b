using Microsoft.Extensions.DependencyInjection;
using Plue.Rpc;

namespace Plue.Checkpoints;

public static class CheckpointsServiceCollectionExtensions
{
    /// <summary>The checkpoint store that tools record their changes in, and its methods; the worktrees tasks write in beside others.</summary>
    public static IServiceCollection AddCheckpoints(this IServiceCollection services)
    {
        services.AddSingleton<CheckpointOwners>();
        services.AddSingleton<CheckpointStore>();
        services.AddSingleton<CheckpointRestorer>();
        services.AddSingleton<TaskWorktrees>();
        services.AddEndpoints<CheckpointEndpoints>("checkpoint/");
        return services;
    }
}
