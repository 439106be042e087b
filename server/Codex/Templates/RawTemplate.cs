namespace Plue.Codex.Templates;

/// <summary>One template file as written, before inheritance; positions kept for error messages.</summary>
public sealed record RawTemplate
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public int Version { get; init; } = 1;
    /// <summary>The version as written: "1.0.0" or "1".</summary>
    public string VersionText { get; init; } = "1";
    /// <summary>Free-form facts for clients (icon, color), as written.</summary>
    public System.Text.Json.Nodes.JsonObject? Metadata { get; init; }
    public string? ParentTemplate { get; init; }
    public string? Collection { get; init; }
    public required IReadOnlyList<FieldSpec> Fields { get; init; }
    public IReadOnlyList<HookSpec> Hooks { get; init; } = [];
    public required string Source { get; init; }
    public required string FilePath { get; init; }
    /// <summary>Where each field (by name) and each hook (by index) is written: line and column.</summary>
    public required Func<string, (int Line, int Column)> Locate { get; init; }
}
