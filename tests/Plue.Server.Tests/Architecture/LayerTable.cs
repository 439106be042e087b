using System.Text.RegularExpressions;

namespace Plue.Tests.Architecture;

/// <summary>
/// The layer table of ARCHITECTURE.md: each server folder and the folders it may use. A row reads
/// <c>| `Sessions/` | `Transcripts/`, `Codex/`, ... | what it holds |</c>; "—" means none, "every folder" all of them.
/// </summary>
internal sealed partial class LayerTable
{
    private readonly Dictionary<string, HashSet<string>> _mayUse;

    private LayerTable(Dictionary<string, HashSet<string>> mayUse) => _mayUse = mayUse;

    public IReadOnlyCollection<string> Folders => _mayUse.Keys;

    public bool Has(string folder) => _mayUse.ContainsKey(folder);

    public bool Allows(string from, string to) =>
        from == to || (_mayUse.TryGetValue(from, out var allowed) && (allowed.Contains(to) || allowed.Contains(Every)));

    private const string Every = "*";

    public static LayerTable Read(string markdown)
    {
        var rows = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in markdown.Split('\n'))
        {
            var cells = line.Split('|');
            if (cells.Length < 4 || FolderCell().Match(cells[1].Trim()) is not { Success: true } folder) continue;
            rows[folder.Groups[1].Value] = cells[2].Contains("every folder", StringComparison.Ordinal)
                ? [Every]
                : [.. Folder().Matches(cells[2]).Select(m => m.Groups[1].Value)];
        }
        return new LayerTable(rows);
    }

    [GeneratedRegex(@"^`(\w+)/`$")]
    private static partial Regex FolderCell();

    [GeneratedRegex(@"`(\w+)/`")]
    private static partial Regex Folder();
}
