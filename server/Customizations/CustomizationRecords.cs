using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Protocol;

namespace Plue.Customizations;

/// <summary>
/// The customizations made in Plue (docs/CUSTOMIZATIONS.md, Plue records): records of the <c>instruction</c>,
/// <c>skill</c>, <c>command</c>, <c>agent</c> and <c>agent-hook</c> templates, listed beside the found files and used
/// like them. A record comes before every file: it wins its name, and shadows the file it was copied from.
/// </summary>
public static class CustomizationRecords
{
    public const string Layout = "plue-record";

    /// <summary>The field naming the file a record was copied from (Copy to Plue).</summary>
    public const string CopiedFrom = "copied_from";

    /// <summary>Each kind's template, in the order of the list.</summary>
    public static readonly IReadOnlyList<(CustomizationKind Kind, string TemplateId)> Templates =
    [
        (CustomizationKind.Instructions, "instruction"), (CustomizationKind.Skill, "skill"), (CustomizationKind.Command, "command"),
        (CustomizationKind.Agent, "agent"), (CustomizationKind.AgentHook, "agent-hook"),
    ];

    public static string TemplateOf(CustomizationKind kind) => Templates.First(t => t.Kind == kind).TemplateId;

    /// <summary>The records of every kind, each kind's oldest first: every page, none cut at a count.</summary>
    public static IReadOnlyList<(CustomizationKind Kind, CodexRecord Record)> Read(CodexService codex) =>
        [.. Templates.SelectMany(t => CodexPaging.Read(codex.List, new CodexQuery { TemplateIds = [t.TemplateId], Limit = CodexPaging.MaxLimit, Sort = CodexSort.IdDesc }, all: true)
            .Reverse().Where(r => r.Unreadable is null).Select(r => (t.Kind, r)))];

    /// <summary>
    /// What the user calls a record: a skill's, command's or agent's name is its slug (typed as <c>/slug</c>, loaded
    /// by it); an instruction is its title; an agent hook its event and matcher, as a hooks file's group is named.
    /// </summary>
    public static string Name(CustomizationKind kind, CodexRecord record) => kind switch
    {
        CustomizationKind.Skill or CustomizationKind.Command or CustomizationKind.Agent => record.Slug,
        CustomizationKind.AgentHook => Text(record, "matcher") is { } matcher ? $"{Text(record, "event") ?? "PreToolUse"} ({matcher})" : Text(record, "event") ?? "PreToolUse",
        _ => record.Title,
    };

    public static CustomizationItem Item(CustomizationKind kind, CodexRecord record) => new()
    {
        Kind = kind,
        Name = Name(kind, record),
        Description = kind == CustomizationKind.Instructions ? AppliesTo(record) : Text(record, "description"),
        Source = record.Ref,
        Scope = CustomizationScope.User,
        Layout = Layout,
        Status = CustomizationStatus.Used,
        RecordId = record.Id,
    };

    /// <summary>
    /// The found items with those a record shadows marked so: a file a record was copied from, and a skill, command
    /// or agent whose name a record took (records come first in the precedence).
    /// </summary>
    public static IReadOnlyList<CustomizationItem> Shadow(IReadOnlyList<CustomizationItem> files, IReadOnlyList<(CustomizationKind Kind, CodexRecord Record)> records)
    {
        if (records.Count == 0) return files;
        return [.. files.Select(file =>
        {
            if (file.Status != CustomizationStatus.Used) return file;
            var by = records.FirstOrDefault(r => r.Kind == file.Kind && Shadows(r.Kind, r.Record, file));
            return by.Record is null ? file : file with
            {
                Status = CustomizationStatus.Ignored,
                Reason = $"shadowed by the Plue record '{by.Record.Title}', which takes precedence (edit or delete the record to change it)",
            };
        })];
    }

    private static bool Shadows(CustomizationKind kind, CodexRecord record, CustomizationItem file)
    {
        var copied = Text(record, CopiedFrom) == file.Source;
        return kind switch
        {
            CustomizationKind.Skill or CustomizationKind.Command or CustomizationKind.Agent => copied || Name(kind, record) == file.Name,
            // A hooks file holds several groups: the one copied is the one of the same event and matcher.
            CustomizationKind.AgentHook => copied && Name(kind, record) == file.Name,
            _ => copied,
        };
    }

    /// <summary>The instruction records as scoped instructions: globs from <c>apply_to</c>, none meaning always.</summary>
    public static IEnumerable<ScopedInstruction> Instructions(IEnumerable<(CustomizationKind Kind, CodexRecord Record)> records, IReadOnlyList<string> folders) =>
        records.Where(r => r.Kind == CustomizationKind.Instructions).Select(r =>
        {
            var globs = List(r.Record, "apply_to").Select(GlobPattern.Compile).ToList();
            return new ScopedInstruction(folders.FirstOrDefault() ?? "", r.Record.Ref, globs, globs.Count == 0 || globs.Any(g => g.MatchesAll), Text(r.Record, "body") ?? "");
        });

    public static IEnumerable<Skill> Skills(IEnumerable<(CustomizationKind Kind, CodexRecord Record)> records) =>
        records.Where(r => r.Kind == CustomizationKind.Skill)
            .Select(r => new Skill(r.Record.Slug, Text(r.Record, "description") ?? "", "", r.Record.Ref, Text(r.Record, "body") ?? ""));

    public static IEnumerable<CustomCommand> Commands(IEnumerable<(CustomizationKind Kind, CodexRecord Record)> records) =>
        records.Where(r => r.Kind == CustomizationKind.Command).Select(r => new CustomCommand(r.Record.Slug, Text(r.Record, "description"), r.Record.Ref, Layout,
            Text(r.Record, "body") ?? "", Text(r.Record, "model"), List(r.Record, "tools") is { Count: > 0 } tools ? tools : null, Text(r.Record, "mode"), Text(r.Record, "argument_hint")));

    public static IEnumerable<CustomAgent> Agents(IEnumerable<(CustomizationKind Kind, CodexRecord Record)> records) =>
        records.Where(r => r.Kind == CustomizationKind.Agent).Select(r =>
        {
            var named = List(r.Record, "tools");
            var mapped = named.Select(n => (Name: n, Tool: CustomCommands.PlueTool(n))).ToList();
            return new CustomAgent(r.Record.Slug, Text(r.Record, "description") ?? "", r.Record.Ref, Layout, Text(r.Record, "body") ?? "", Text(r.Record, "model"),
                named.Count == 0 ? null : [.. mapped.Select(m => m.Tool).OfType<string>().Where(t => !t.StartsWith("mcp__", StringComparison.Ordinal)).Distinct()],
                [.. mapped.Select(m => m.Tool).OfType<string>().Where(t => t.StartsWith("mcp__", StringComparison.Ordinal)).Distinct()],
                [.. mapped.Where(m => m.Tool is null).Select(m => m.Name)]);
        });

    /// <summary>The user's own agent hooks: run as a user-level hook file's are, in any workspace.</summary>
    public static IEnumerable<AgentHook> Hooks(IEnumerable<(CustomizationKind Kind, CodexRecord Record)> records) =>
        records.Where(r => r.Kind == CustomizationKind.AgentHook && Text(r.Record, "event") is not null && Text(r.Record, "command") is not null)
            .Select(r => new AgentHook(Text(r.Record, "event")!, Text(r.Record, "matcher"), Text(r.Record, "command")!,
                r.Record.Fields["timeout_seconds"] is JsonValue limit && limit.TryGetValue<double>(out var seconds) ? Math.Clamp((int)seconds, 1, 3600) : 60,
                Layout, CustomizationScope.User, r.Record.Ref, null));

    private static string? AppliesTo(CodexRecord record) =>
        List(record, "apply_to") is { Count: > 0 } globs ? $"applies to {string.Join(", ", globs)}" : "always applies";

    internal static string? Text(CodexRecord record, string field) =>
        record.Fields[field] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    internal static List<string> List(CodexRecord record, string field) =>
        record.Fields[field] is JsonArray items ? [.. items.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s.Trim() : "").Where(s => s.Length > 0)] : [];
}
