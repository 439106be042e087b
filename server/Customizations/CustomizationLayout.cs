using System.Text.RegularExpressions;
using Plue.Protocol;

namespace Plue.Customizations;

/// <summary>
/// One place a peer keeps one kind of customization: where under the root (a workspace folder or the user's home), in
/// what shape and format, the front-matter fields it knows and needs, and the rule its names follow.
/// </summary>
/// <param name="Id">The layout's name in lists and docs (the same for a workspace layout and its user-level twin).</param>
/// <param name="Path">Relative to the root, '/' separated.</param>
/// <param name="Suffix">For folder shapes: the file names taken end with it.</param>
/// <param name="Fields">The front-matter fields the layout knows; any other is an unknown field.</param>
/// <param name="Required">The fields it cannot do without.</param>
/// <param name="NameField">The field that names the item (else the file or folder name does).</param>
/// <param name="NameRule">What a name must match, and the rule in words.</param>
/// <param name="JsonKey">For MCP files: the object holding the servers.</param>
public sealed record CustomizationLayout(
    string Id,
    CustomizationKind Kind,
    CustomizationScope Scope,
    string Path,
    LayoutShape Shape,
    LayoutFormat Format,
    string Suffix = "",
    IReadOnlyList<string>? Fields = null,
    IReadOnlyList<string>? Required = null,
    string? NameField = null,
    NameRule? NameRule = null,
    string? JsonKey = null)
{
    /// <summary>A Markdown file's cap: the instructions files' own (64 KiB).</summary>
    public const int MaxMarkdownBytes = 64 * 1024;

    /// <summary>A JSON file's cap (a settings file holds more than hooks).</summary>
    public const int MaxJsonBytes = 256 * 1024;

    public int MaxBytes => Format is LayoutFormat.Hooks or LayoutFormat.Mcp ? MaxJsonBytes : MaxMarkdownBytes;
}

/// <summary>A rule a layout's names follow: the pattern, and the rule as a user reads it.</summary>
public sealed record NameRule(Regex Pattern, string Words, int MaxLength = 64)
{
    public bool Allows(string name) => name.Length <= MaxLength && Pattern.IsMatch(name);
}
