using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Codex.Automation;
using Plue.Codex.Templates;
using Plue.Protocol;

namespace Plue.Sessions;

/// <summary>
/// The ai-chat template's <c>send_to_llm</c> hook: writing a chat's <c>user_message</c> field
/// (from the command line, a template form, another tool) sends it as a turn. A template that keeps a
/// <c>messages</c> list instead (the design notes') sends the <c>content</c> of its last item, or, when that item's
/// <c>role</c> is <c>system</c>, adds it to the chat as a system message (no turn).
/// </summary>
public sealed class SendToLlmAction(Lazy<ChatTurnRunner> runner) : IAutomationAction
{
    public string Name => "send_to_llm";

    public async Task RunAsync(CodexRecord record, HookSpec hook, CancellationToken cancellationToken)
    {
        var value = record.Fields[hook.Field];
        var system = false;
        if (value is JsonArray { Count: > 0 } list)
        {
            system = (list[^1] as JsonObject)?["role"] is JsonValue role && role.GetValueKind() == JsonValueKind.String && role.GetValue<string>() == "system";
            value = (list[^1] as JsonObject)?["content"];
        }
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>() is not { Length: > 0 } text) return;
        if (system) await runner.Value.AddSystemAsync(record.Id, text).ConfigureAwait(false);
        else await runner.Value.SendAsync(record.Id, text, attachments: null, cancellationToken).ConfigureAwait(false);
    }
}
