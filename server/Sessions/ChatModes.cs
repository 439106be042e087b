using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Codex.Templates;
using Plue.Protocol;

namespace Plue.Sessions;

/// <summary>
/// The modes a chat can be in. A mode is a template derived from <c>chat-mode</c> (the shipped <c>mode-ask</c> and
/// <c>mode-agent</c>, or one the user wrote), its fields' defaults being what it grants, and the newest record of that
/// template (the user's edit in the settings panel) winning over them (the shipped <c>mode-plan</c>, and a template
/// deriving from it, is a plan mode: read-only, its answer's checklist kept as the chat's plan); or a record of <c>chat-mode</c> itself, named by
/// its title and <c>codex://modes/&lt;slug&gt;</c>; or a used agent file (<c>agent:&lt;name&gt;</c>, docs/CUSTOMIZATIONS.md).
/// </summary>
public sealed class ChatModes(CodexService codex, TemplateRegistry templates, Plue.Customizations.CustomizationRegistry customizations)
{
    public const string BaseTemplate = "chat-mode";
    public const string Ask = "mode-ask";
    public const string Agent = "mode-agent";
    /// <summary>The shipped plan mode; a template deriving from it is a plan mode too.</summary>
    public const string Plan = "mode-plan";

    /// <summary>What a plan mode's turns may use, whatever its fields say: tools that only read (skill comes with read).</summary>
    public static readonly IReadOnlyList<string> PlanTools = ["read", "search"];

    public IReadOnlyList<ModeSettings> List()
    {
        var fromTemplates = templates.Current.Templates.Values.Where(t => t.IsA(BaseTemplate) && t.Id != BaseTemplate).Select(FromTemplate);
        var fromRecords = Records(BaseTemplate).Select(r => FromRecord(r, templates.Find(BaseTemplate)));
        var fromFiles = customizations.Agents.Select(FromAgent);
        return [.. fromTemplates.Concat(fromRecords).OrderBy(m => m.Id switch { Ask => 0, Agent => 1, Plan => 2, _ => 3 }).ThenBy(m => m.Name, StringComparer.CurrentCultureIgnoreCase)
            .Concat(fromFiles)];
    }

    /// <summary>The mode named <paramref name="id"/>; null when there is none (a mode removed since the chat picked it).</summary>
    public ModeSettings? Find(string id)
    {
        if (id.StartsWith(Plue.Customizations.CustomAgent.ModePrefix, StringComparison.Ordinal))
            return Plue.Customizations.CustomAgents.Find(customizations.Agents, id) is { } agent ? FromAgent(agent) : null;
        if (id.StartsWith(CodexReference.Scheme, StringComparison.Ordinal))
        {
            try
            {
                var record = codex.Resolve(CodexReference.Parse(id));
                return record.TemplateId == BaseTemplate ? FromRecord(record, templates.Find(BaseTemplate)) : null;
            }
            catch (Rpc.RpcException)
            {
                return null;
            }
        }
        return templates.Find(id) is { } template && template.IsA(BaseTemplate) && template.Id != BaseTemplate ? FromTemplate(template) : null;
    }

    /// <summary>
    /// The mode a command's <c>mode</c> or <c>agent</c> names, for a chat's turn or a task: its id, its name, or a
    /// shipped one's short name (<c>ask</c> is Ask); null when it names none.
    /// </summary>
    public ModeSettings? Named(string name) =>
        List().FirstOrDefault(m => string.Equals(m.Id, name, StringComparison.OrdinalIgnoreCase) || string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(m.Id, "mode-" + name, StringComparison.OrdinalIgnoreCase));

    public static ChatMode ToWire(ModeSettings mode) => new()
    {
        Id = mode.Id, Name = mode.Name, Description = mode.Description, Icon = mode.Icon, Tools = mode.Tools, AutoApprove = mode.AutoApprove, Plans = mode.Plans ? true : null,
    };

    private ModeSettings FromTemplate(TemplateDefinition template)
    {
        var fields = new JsonObject();
        foreach (var field in template.Fields)
            if (field.Default is { } value) fields[field.Name] = value.DeepClone();
        // The user's record of the template is their edit of the mode.
        if (Records(template.Id).FirstOrDefault() is { } edit)
            foreach (var (name, value) in edit.Fields) fields[name] = value?.DeepClone();
        return Settings(template.Id, template.Name, template.Description, template, fields) with { Plans = template.IsA(Plan) };
    }

    /// <summary>An agent file as a mode: its body the mode's prompt, its tools (MCP ones too), its model when the chat's instance offers it; nothing runs unasked.</summary>
    private static ModeSettings FromAgent(Plue.Customizations.CustomAgent agent) => new()
    {
        Id = agent.ModeId,
        Name = agent.Name,
        Description = agent.Explained(),
        Icon = "person",
        Tools = agent.Granted,
        AutoApprove = [],
        McpTools = agent.McpTools,
        SystemPrompt = agent.Prompt,
        PreferredModel = agent.Model,
        Source = agent.Source,
    };

    private static ModeSettings FromRecord(CodexRecord record, TemplateDefinition? template) =>
        Settings(record.Ref, record.Title, "", template, record.Fields);

    private static ModeSettings Settings(string id, string name, string description, TemplateDefinition? template, JsonObject fields)
    {
        var mode = ModeRecordFields.Of(fields);
        return new()
        {
            Id = id,
            Name = name,
            Description = description,
            Icon = template?.Metadata?["icon"] is JsonValue icon && icon.TryGetValue<string>(out var text) ? text : null,
            Tools = mode.Tools,
            AutoApprove = mode.AutoApprove,
            McpTools = mode.McpTools,
            SystemPrompt = mode.SystemPrompt,
            InstanceRef = mode.InstanceRef,
            ModelId = mode.ModelId,
            SandboxPolicy = mode.SandboxPolicy,
        };
    }

    /// <summary>The records of exactly this template, newest first.</summary>
    private IEnumerable<CodexRecord> Records(string templateId) =>
        codex.List(new CodexQuery { TemplateIds = [templateId], Limit = 200 }).Items.Where(r => r.TemplateId == templateId);
}
