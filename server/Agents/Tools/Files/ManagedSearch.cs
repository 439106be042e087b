using System.Text;
using System.Text.RegularExpressions;

namespace Plue.Agents.Tools.Files;

/// <summary>
/// The search used when ripgrep is not installed: .NET regular expressions over the files below the roots. It
/// follows no symlink and skips hidden entries and node_modules, but knows nothing of .gitignore.
/// </summary>
public static class ManagedSearch
{
    private const long MaxFileBytes = 10 * 1024 * 1024;
    private const int MaxLineChars = 500;

    private static readonly EnumerationOptions s_walk = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden | FileAttributes.System,
    };

    public static async Task<SearchOutcome> RunAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        Regex regex;
        try
        {
            regex = new Regex(request.Pattern, RegexOptions.CultureInvariant | (request.IgnoreCase ? RegexOptions.IgnoreCase : 0), TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ToolException($"The pattern is not a valid regular expression: {e.Message}");
        }
        var glob = request.Glob is { } text ? new GlobPattern(text) : null;
        var matches = new List<SearchMatch>();
        foreach (var root in request.Roots)
            foreach (var file in Files(root))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (glob is not null && !glob.Matches(Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'))) continue;
                if (await SearchFileAsync(file, regex, matches, request.MaxMatches, cancellationToken).ConfigureAwait(false))
                    return new SearchOutcome(matches, Truncated: true);
            }
        return new SearchOutcome(matches, Truncated: false, Note: "ripgrep (rg) is not installed, so .gitignore was not applied.");
    }

    /// <summary>True once a match beyond <paramref name="max"/> was seen.</summary>
    private static async Task<bool> SearchFileAsync(string file, Regex regex, List<SearchMatch> matches, int max, CancellationToken cancellationToken)
    {
        try
        {
            if (new FileInfo(file).Length > MaxFileBytes) return false;
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0)) return false;
            var number = 0;
            foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n'))
            {
                number++;
                if (!regex.IsMatch(line)) continue;
                if (matches.Count == max) return true;
                var text = line.TrimEnd('\r');
                matches.Add(new SearchMatch(file, number, text.Length > MaxLineChars ? text[..MaxLineChars] + " […]" : text));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RegexMatchTimeoutException)
        {
            // Unreadable, or a pathological pattern on this file: skipped, as ripgrep would.
        }
        return false;
    }

    private static IEnumerable<string> Files(string root)
    {
        if (File.Exists(root))
        {
            yield return root;
            yield break;
        }
        var folders = new Stack<string>([root]);
        while (folders.TryPop(out var folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", s_walk).Order(StringComparer.Ordinal)) yield return file;
            foreach (var sub in Directory.EnumerateDirectories(folder, "*", s_walk).OrderDescending(StringComparer.Ordinal))
                if (Path.GetFileName(sub) != "node_modules") folders.Push(sub);
        }
    }
}
