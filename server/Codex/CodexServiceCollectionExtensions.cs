using Microsoft.Extensions.DependencyInjection;
using Plue.Codex.Automation;
using Plue.Codex.Content;
using Plue.Codex.Kinds;
using Plue.Codex.Prompts;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Rpc;

namespace Plue.Codex;

public static class CodexServiceCollectionExtensions
{
    /// <summary>Templates, codex records, references, prompts, automation hooks, and their RPC methods.</summary>
    public static IServiceCollection AddCodex(this IServiceCollection services)
    {
        services.AddSingleton<ContentRoots>();
        services.AddSingleton<TemplateRegistry>();
        services.AddSingleton<CodexRepository>();
        services.AddSingleton<HookEngine>();
        services.AddSingleton(sp => new RecordKinds(sp.GetServices<IRecordKind>));
        services.AddSingleton<CodexService>();
        services.AddSingleton<PromptLibrary>();
        services.AddEndpoints<CodexEndpoints>(atStart: true, "codex/", "templates/", "prompts/");
        return services;
    }
}
