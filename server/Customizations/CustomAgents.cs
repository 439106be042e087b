using Plue.Codex.Content;
using Plue.Protocol;

namespace Plue.Customizations;

/// <summary>
/// Agents from files (docs/CUSTOMIZATIONS.md, Agents): the used ones read with the list (once per change, never per
/// turn), each a chat mode and a sub-agent <c>spawn_task</c> starts by name.
/// </summary>
public static class CustomAgents
{
    /// <summary>The used agents among <paramref name="items"/>, each read from inside its root (a workspace folder, or the home for the user's).</summary>
    public static IReadOnlyList<CustomAgent> Read(IReadOnlyList<CustomizationItem> items, IReadOnlyList<string> folders, string? home)
    {
        var found = new List<CustomAgent>();
        foreach (var item in items.Where(i => i.Status == CustomizationStatus.Used && i.Kind == CustomizationKind.Agent))
        {
            if (CustomCommands.RootOf(item, folders, home) is not { } root) continue;
            try
            {
                var front = FrontMatter.Parse(ContentFile.Read(root, Path.GetRelativePath(root, item.Source), CustomizationLayout.MaxMarkdownBytes));
                var named = front.Find("tools") is { } field ? CustomCommands.List(field) : null;
                var mapped = named?.Select(n => (Name: n, Tool: CustomCommands.PlueTool(n))).ToList();
                var model = CustomCommands.Value(front.Text("model"));
                found.Add(new CustomAgent(item.Name, item.Description ?? "", item.Source, item.Layout, front.Body.Trim(),
                    // Claude Code's "inherit": the caller's model, as when none is named.
                    string.Equals(model, "inherit", StringComparison.OrdinalIgnoreCase) ? null : model,
                    mapped is null ? null : [.. mapped.Select(m => m.Tool).OfType<string>().Where(t => !t.StartsWith("mcp__", StringComparison.Ordinal)).Distinct()],
                    [.. (mapped ?? []).Select(m => m.Tool).OfType<string>().Where(t => t.StartsWith("mcp__", StringComparison.Ordinal)).Distinct()],
                    [.. (mapped ?? []).Where(m => m.Tool is null).Select(m => m.Name)]));
            }
            catch (Exception e) when (e is ContentFileException or FrontMatterException)
            {
                // Changed since it was listed: the watcher lists it again with its reason.
            }
        }
        return found;
    }

    /// <summary>The used agent named <paramref name="name"/> (or its mode id), or null.</summary>
    public static CustomAgent? Find(IReadOnlyList<CustomAgent> agents, string name)
    {
        var bare = name.StartsWith(CustomAgent.ModePrefix, StringComparison.Ordinal) ? name[CustomAgent.ModePrefix.Length..] : name;
        return agents.FirstOrDefault(a => a.Name == bare);
    }
}
