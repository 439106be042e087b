using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plue.Codex.Templates;
using Plue.Protocol;

namespace Plue.Codex.Automation;

/// <summary>
/// Evaluates a template's hooks after a change and dispatches their actions by name.
/// Actions run in the background: a hook never holds up the change that fired it.
/// </summary>
public sealed partial class HookEngine(IEnumerable<IAutomationAction> actions, ILogger<HookEngine> logger)
{
    private readonly Dictionary<string, IAutomationAction> _actions = actions.ToDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>The hooks that fire for this change (before is null for a create).</summary>
    public static IReadOnlyList<HookSpec> Firing(TemplateDefinition template, CodexRecord? before, CodexRecord after) =>
        template.Hooks
            .Where(h => h.Trigger == "field_change")
            .Where(h => !JsonNode.DeepEquals(before?.Fields[h.Field], after.Fields[h.Field]))
            .Where(h => h.Conditions.All(c => Holds(c, after)))
            .ToList();

    /// <summary>Starts every firing hook's action in the background.</summary>
    public void Dispatch(TemplateDefinition template, CodexRecord? before, CodexRecord after)
    {
        foreach (var hook in Firing(template, before, after))
        {
            if (!_actions.TryGetValue(hook.Action, out var action))
            {
                LogUnknownAction(hook.Action, template.Id);
                continue;
            }
            LogFired(hook.Field, template.Id, after.Id, after.Version, hook.Action);
            _ = Task.Run(async () =>
            {
                try
                {
                    await action.RunAsync(after, hook, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    LogActionFailed(e, hook.Action, after.Id);
                }
            });
        }
    }

    public static bool Holds(HookCondition condition, CodexRecord record)
    {
        var value = condition.Field switch
        {
            "status" => record.Status is null ? null : JsonValue.Create(record.Status),
            "title" => JsonValue.Create(record.Title),
            "tags" => new JsonArray([.. record.Tags.Select(t => (JsonNode)JsonValue.Create(t))]),
            _ => FieldPath.Read(record.Fields, condition.Field),
        };
        return condition.Operator switch
        {
            "equals" => JsonNode.DeepEquals(value, condition.Operand),
            "not_equals" => !JsonNode.DeepEquals(value, condition.Operand),
            "in" => condition.Operand is JsonArray options && options.Any(o => JsonNode.DeepEquals(o, value)),
            "is_set" => !FieldValueRules.IsEmpty(value) == (condition.Operand?.GetValueKind() == JsonValueKind.True),
            _ => false,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hook on '{Field}' of template {Template} fired for codex {Id} version {Version}: running '{Action}'")]
    private partial void LogFired(string field, string template, string id, long version, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hook action '{Action}' of template {Template} is not known; nothing ran")]
    private partial void LogUnknownAction(string action, string template);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hook action '{Action}' failed for codex {Id}")]
    private partial void LogActionFailed(Exception exception, string action, string id);
}
