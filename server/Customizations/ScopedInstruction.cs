namespace Plue.Customizations;

/// <summary>
/// A scoped instructions file of a workspace folder (<c>.github/instructions/*.instructions.md</c>,
/// <c>.cursor/rules/*.mdc</c>): its globs, whether it always applies, and the text a turn sends (its front matter left out).
/// </summary>
/// <param name="Path">Folder-relative, '/' separated.</param>
public sealed record ScopedInstruction(string Folder, string Path, IReadOnlyList<GlobPattern> Globs, bool Always, string Text)
{
    /// <summary>The first file in play it applies to (folder-relative), "always" for one that always applies; null when it does not apply.</summary>
    public string? AppliesTo(IReadOnlyList<string> inPlay) =>
        Always ? "always" : inPlay.FirstOrDefault(file => Globs.Any(g => g.Matches(file)));
}
