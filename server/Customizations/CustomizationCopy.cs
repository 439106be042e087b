using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Codex.Content;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Customizations;

/// <summary>
/// Copy to Plue (<c>customizations/copy</c>): a found file made into an editable record of its kind, with history and
/// undo, naming the file in <c>copied_from</c>; the record then shadows the file (<see cref="CustomizationRecords.Shadow"/>).
/// </summary>
public static class CustomizationCopy
{
    public static CodexRecord Copy(CodexService codex, IReadOnlyList<CustomizationItem> items, CustomizationCopyParams request, IReadOnlyList<string> folders, string? home)
    {
        var candidates = items.Where(i => i.RecordId is null && i.Source == request.Source && (request.Name is null || i.Name == request.Name)).ToList();
        if (candidates.Count == 0)
            throw RpcException.InvalidParams($"No customization file was found at {request.Source}{(request.Name is null ? "" : $" named '{request.Name}'")}: the Customizations view lists those there are; copy one it names.");
        if (candidates.Count > 1)
            throw RpcException.InvalidParams($"{request.Source} holds several: name the one to copy ({string.Join(", ", candidates.Select(c => c.Name))}).");
        var item = candidates[0];
        if (item.Kind == CustomizationKind.McpServer)
            throw RpcException.InvalidParams($"The MCP server '{item.Name}' is kept in its file: add it in the MCP Servers view to make it Plue's own.");
        if (CustomCommands.RootOf(item, folders, home) is not { } root)
            throw RpcException.InvalidParams($"{item.Source} is not inside a workspace folder or your home, so it is not read.");
        string text;
        try
        {
            text = ContentFile.Read(root, Path.GetRelativePath(root, item.Source), item.Kind == CustomizationKind.AgentHook ? CustomizationLayout.MaxJsonBytes : CustomizationLayout.MaxMarkdownBytes);
        }
        catch (ContentFileException e)
        {
            throw RpcException.InvalidParams($"{item.Source} cannot be copied: {e.Message}");
        }
        var fields = new JsonObject { [CustomizationRecords.CopiedFrom] = item.Source };
        try
        {
            if (item.Kind == CustomizationKind.AgentHook) Hook(fields, item, text);
            else Markdown(fields, item, FrontMatter.Parse(text));
        }
        catch (Exception e) when (e is FrontMatterException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw RpcException.InvalidParams($"{item.Source} cannot be copied: {e.Message}. Fix the file, or make the {item.Kind.ToString().ToLowerInvariant()} in the settings panel.");
        }
        var template = CustomizationRecords.TemplateOf(item.Kind);
        var named = item.Kind is CustomizationKind.Skill or CustomizationKind.Command or CustomizationKind.Agent;
        // The record's slug is the name it is typed or loaded by: the file's, when it is a valid slug and free.
        var slug = named && Slugs.IsValid(item.Name.ToLowerInvariant()) ? codex.SuggestSlug(template, item.Name.ToLowerInvariant()) : null;
        return codex.Create(new CodexDraft { TemplateId = template, Title = item.Name, Fields = fields, Slug = slug });
    }

    private static void Markdown(JsonObject fields, CustomizationItem item, FrontMatter front)
    {
        fields["body"] = front.Body.Trim();
        if (item.Kind != CustomizationKind.Instructions && item.Description is { Length: > 0 } description) fields["description"] = description;
        var tools = front.Find("allowed-tools") ?? front.Find("tools");
        switch (item.Kind)
        {
            case CustomizationKind.Instructions:
                var globs = GlobPattern.Parse(front.Find(item.Layout == "cursor-rules" ? "globs" : "applyTo"));
                fields["apply_to"] = front.Text("alwaysApply") == "true" ? new JsonArray() : Array(globs.Select(g => g.Text));
                break;
            case CustomizationKind.Command:
                Set(fields, "model", front.Text("model"));
                Set(fields, "mode", front.Text("mode") ?? front.Text("agent"));
                Set(fields, "argument_hint", front.Text("argument-hint"));
                if (tools is not null) fields["tools"] = Array(CustomCommands.List(tools));
                break;
            case CustomizationKind.Agent:
                if (front.Text("model") is { } model && !string.Equals(model.Trim(), "inherit", StringComparison.OrdinalIgnoreCase)) Set(fields, "model", model);
                if (tools is not null) fields["tools"] = Array(CustomCommands.List(tools));
                break;
        }
    }

    /// <summary>A hooks file's group named like the item ("PreToolUse (Bash)"): its event, matcher, first command and time limit.</summary>
    private static void Hook(JsonObject fields, CustomizationItem item, string text)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var open = item.Name.IndexOf(" (", StringComparison.Ordinal);
        var hookEvent = open < 0 ? item.Name : item.Name[..open];
        var matcher = open < 0 ? null : item.Name[(open + 2)..^1];
        foreach (var group in document.RootElement.GetProperty("hooks").GetProperty(hookEvent).EnumerateArray())
        {
            var groupMatcher = group.TryGetProperty("matcher", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 } ms ? ms : null;
            if (groupMatcher != matcher) continue;
            var hook = group.TryGetProperty("hooks", out var h) && h.ValueKind == JsonValueKind.Array && h.GetArrayLength() > 0 ? h[0] : group;
            fields["event"] = hookEvent;
            Set(fields, "matcher", matcher);
            fields["command"] = hook.GetProperty("command").GetString();
            if (hook.TryGetProperty("timeout", out var t) && t.TryGetInt32(out var seconds)) fields["timeout_seconds"] = Math.Clamp(seconds, 1, 600);
            return;
        }
        throw new JsonException($"no '{item.Name}' group in its hooks");
    }

    private static void Set(JsonObject fields, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) fields[name] = value.Trim();
    }

    private static JsonArray Array(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
}
