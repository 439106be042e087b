using System.Collections.Concurrent;
using Plue.Codex.Automation;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Store;
using Plue.Tests.Codex.Templates;
using Plue.Tests.Support;

namespace Plue.Tests.Codex.Records;

/// <summary>A real SQLite store in a temp dir, real templates, and a hook action that records its calls.</summary>
internal sealed class CodexWorld : IDisposable
{
    /// <param name="kinds">The record kinds the features would register, made for this world's home.</param>
    public CodexWorld(bool withShipped = true, Func<string, IEnumerable<IRecordKind>>? kinds = null)
    {
        Templates = new TemplateWorld(withShipped: withShipped);
        Database = new Database(Path.Combine(Templates.Home, "plue.db"));
        Repository = new CodexRepository(Database);
        Hooks = new HookEngine([Action], HookLog);
        Service = new CodexService(Repository, Templates.Registry, Hooks, new RecordKinds(kinds?.Invoke(Templates.Home) ?? []));
    }

    public TemplateWorld Templates { get; }
    public Database Database { get; }
    public CodexRepository Repository { get; }
    public HookEngine Hooks { get; }
    public RecordingAction Action { get; } = new();
    /// <summary>The hook engine's log: a hook that fires says so before the change that fired it returns.</summary>
    public RecordingLogger<HookEngine> HookLog { get; } = new();
    public CodexService Service { get; }

    public CodexRecord Provider(string title = "Fake OpenAI") =>
        Service.Create(new CodexDraft { TemplateId = "llm-provider", Title = title, Fields = new() { ["catalog_provider_id"] = "openai" } });

    public void Dispose() => Templates.Dispose();

    public sealed class RecordingAction : IAutomationAction
    {
        public string Name => "send_to_llm";
        public ConcurrentQueue<(CodexRecord Record, HookSpec Hook)> Calls { get; } = new();

        public Task RunAsync(CodexRecord record, HookSpec hook, CancellationToken cancellationToken)
        {
            Calls.Enqueue((record, hook));
            return Task.CompletedTask;
        }
    }
}
