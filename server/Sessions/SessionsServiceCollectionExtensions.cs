using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plue.Codex.Automation;
using Plue.Codex.Kinds;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Sessions;

public static class SessionsServiceCollectionExtensions
{
    /// <summary>Chat sessions, their turns and the chat RPC methods. Needs AddTranscripts (their messages).</summary>
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddSingleton<ActiveTurns>();
        services.AddSingleton<ChatModes>();
        services.AddSingleton<ChatQueue>();
        services.AddSingleton<Plue.Context.ContextAttachments>();
        services.AddSingleton<SessionSearch>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<ChatExport>();
        services.AddSingleton<SessionsTransfer>();
        services.AddSingleton<ChatKind>();
        services.AddSingleton<IRecordKind>(sp => sp.GetRequiredService<ChatKind>());
        services.AddSingleton<SessionEvents>();
        services.AddSingleton<ChatTitles>();
        services.AddSingleton<ChatTurnSetup>();
        services.AddSingleton<ChatTurnServices>();
        services.AddSingleton<ChatTurnRunner>();
        // Lazy: the hook engine is built before the runner's own dependencies are.
        services.AddSingleton<IAutomationAction>(sp => new SendToLlmAction(new Lazy<ChatTurnRunner>(sp.GetRequiredService<ChatTurnRunner>)));

        services.AddEndpoints<SessionEndpoints>("session/");
        services.AddHostedService<ChatWarmup>();
        return services;
    }
}
