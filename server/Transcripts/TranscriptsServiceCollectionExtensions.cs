using Microsoft.Extensions.DependencyInjection;

namespace Plue.Transcripts;

public static class TranscriptsServiceCollectionExtensions
{
    /// <summary>Messages and parts of chats and tasks: the store, its writer, streamed turns, their events and recovery at start.</summary>
    public static IServiceCollection AddTranscripts(this IServiceCollection services)
    {
        services.AddSingleton<MessageStore>();
        services.AddSingleton<TranscriptWriter>();
        services.AddSingleton<TranscriptEvents>();
        services.AddSingleton<FallbackChain>();
        services.AddSingleton<ChatPlans>();
        // Its constructor is internal: the writer it feeds is nobody else's business.
        services.AddSingleton(sp => new TranscriptTurns(sp.GetRequiredService<MessageStore>(), sp.GetRequiredService<TranscriptWriter>(),
            sp.GetRequiredService<TranscriptEvents>(), sp.GetRequiredService<Catalog.CatalogStore>(), sp.GetRequiredService<FallbackChain>()));
        services.AddSingleton(sp => new TranscriptCompaction(sp.GetRequiredService<MessageStore>(), sp.GetRequiredService<TranscriptEvents>(),
            sp.GetRequiredService<Catalog.CatalogStore>(), sp.GetRequiredService<Providers.IChatClientFactory>()));
        services.AddHostedService<TranscriptRecovery>();
        return services;
    }
}
