namespace Plue.Codex.Templates;

/// <summary>One immutable load of every template: the usable ones, and every file with its problems.</summary>
public sealed record TemplateSet(IReadOnlyDictionary<string, TemplateDefinition> Templates, IReadOnlyList<TemplateFile> Files)
{
    public static TemplateSet Empty { get; } = new(new Dictionary<string, TemplateDefinition>(), []);
}

/// <summary>A template file as loaded; <see cref="Active"/> is false when a later source replaced it.</summary>
public sealed record TemplateFile(string Id, string Source, string Path, RawTemplate? Raw, IReadOnlyList<TemplateProblem> Problems, bool Active);
