using Plue.Codex.Templates;
using Plue.Protocol;

namespace Plue.Codex.Automation;

/// <summary>An action a template hook can name (e.g. <c>send_to_llm</c>); features register theirs.</summary>
public interface IAutomationAction
{
    string Name { get; }

    Task RunAsync(CodexRecord record, HookSpec hook, CancellationToken cancellationToken);
}
