using Microsoft.Extensions.DependencyInjection;

namespace Plue.Turns;

public static class TurnsServiceCollectionExtensions
{
    /// <summary>The turn engine chats and tasks share: its loop, hooks, instructions and compaction. Needs AddCustomizations and AddTranscripts.</summary>
    public static IServiceCollection AddTurns(this IServiceCollection services)
    {
        services.AddSingleton<TurnHooks>();
        services.AddSingleton<TurnInstructions>();
        services.AddSingleton<TurnCompaction>();
        services.AddSingleton<TurnEngine>();
        return services;
    }
}
