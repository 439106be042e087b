namespace Plue.Customizations;

/// <summary>
/// A used skill (<c>SKILL.md</c> in a skills folder of any layout): its name and description go in a turn's system
/// prompt; the <c>skill</c> tool loads its body. Its scripts are never run on load (only through the approved shell).
/// </summary>
/// <param name="Root">The workspace folder or home it was found under (its file is read from inside it only).</param>
/// <param name="Source">Its <c>SKILL.md</c>, absolute; a record's <c>codex://</c> reference.</param>
/// <param name="Text">A record's body (a record has no file and no folder); null for a found skill, read when loaded.</param>
public sealed record Skill(string Name, string Description, string Root, string Source, string? Text = null)
{
    /// <summary>The skill's folder, absolute: its other files are there.</summary>
    public string Folder => Path.GetDirectoryName(Source)!;

    /// <summary>The body (front matter left out), read now from inside its root; a file gone or changed since the list was read says so.</summary>
    public string Body() => Text ?? FrontMatter.Parse(Codex.Content.ContentFile.Read(Root, Path.GetRelativePath(Root, Source), CustomizationLayout.MaxMarkdownBytes)).Body.Trim();

    /// <summary>The used skills among <paramref name="items"/>, in precedence order.</summary>
    public static IReadOnlyList<Skill> Used(IReadOnlyList<Protocol.CustomizationItem> items, IReadOnlyList<string> folders, string? home)
    {
        var found = new List<Skill>();
        foreach (var item in items.Where(i => i.Status == Protocol.CustomizationStatus.Used && i.Kind == Protocol.CustomizationKind.Skill))
        {
            if (CustomCommands.RootOf(item, folders, home) is { } root) found.Add(new Skill(item.Name, item.Description ?? "", root, item.Source));
        }
        return found;
    }

    /// <summary>What a turn's system prompt says of the skills: each one's name and description, and how to load one.</summary>
    public static string? Prompt(IReadOnlyList<Skill> skills) => skills.Count == 0 ? null :
        "Skills you can load with the skill tool (by name) when a task calls for one; each loads its instructions, and names its folder, whose other files you read with read:\n"
        + string.Join("\n", skills.Select(s => $"- {s.Name}: {s.Description}"));
}
