using Plue.Codex.Content;

namespace Plue.Agents.Tools.Files;

/// <summary>
/// Turns a path the model gave into a real path inside one of the workspace folders, every symlink followed.
/// Relative paths start at the first folder; absolute ones must already lie inside a folder. Tools then use the
/// real path returned, never the given one, so what was checked is what gets opened.
/// </summary>
public static class WorkspacePaths
{
    public const string NoWorkspace = "No workspace folder is open: the file tools work only inside a folder opened in the editor.";

    /// <summary>The real path of an existing file or folder.</summary>
    public static string ResolveExisting(IReadOnlyList<string> folders, string path)
    {
        var full = Lexical(folders, path);
        var real = ConfinedPath.RealPath(full) ?? throw new ToolException($"'{path}' does not exist.");
        return Inside(folders, real, path);
    }

    /// <summary>
    /// Where a write to <paramref name="path"/> lands: the nearest existing ancestor is resolved and confined, and the
    /// missing rest appended (created by the caller). A symlink that leads nowhere is refused: writing through it
    /// would create its target, wherever that is.
    /// </summary>
    public static string ResolveForWrite(IReadOnlyList<string> folders, string path)
    {
        var current = Lexical(folders, path);
        var missing = new Stack<string>();
        while (true)
        {
            if (IsLink(current) && ConfinedPath.RealPath(current) is null)
                throw new ToolException($"'{path}' goes through a symlink whose target does not exist; refused.");
            if (File.Exists(current) || Directory.Exists(current)) break;
            var parent = Path.GetDirectoryName(current) ?? throw new ToolException($"'{path}' has no existing folder above it.");
            missing.Push(Path.GetFileName(current));
            current = parent;
        }
        var real = ConfinedPath.RealPath(current) ?? throw new ToolException($"'{path}' could not be resolved.");
        var inside = Inside(folders, real, path);
        if (missing.Count > 0 && File.Exists(inside)) throw new ToolException($"'{Display(folders, inside)}' is a file, so '{path}' cannot be created below it.");
        return missing.Count == 0 ? inside : Path.Combine([inside, .. missing]);
    }

    /// <summary>The path as the model should see it: relative to the first folder when inside it, else absolute.</summary>
    public static string Display(IReadOnlyList<string> folders, string real)
    {
        if (folders.Count == 0) return real;
        var first = ConfinedPath.RealPath(folders[0]) ?? Path.GetFullPath(folders[0]);
        if (real == first) return ".";
        var relative = Path.GetRelativePath(first, real);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? real : relative;
    }

    /// <summary>The full path before links are followed; refuses what is outside every folder even on paper (<c>../x</c>).</summary>
    private static string Lexical(IReadOnlyList<string> folders, string path)
    {
        if (folders.Count == 0) throw new ToolException(NoWorkspace);
        if (string.IsNullOrWhiteSpace(path)) throw new ToolException("The path is empty.");
        if (path.Contains('\0', StringComparison.Ordinal)) throw new ToolException("The path contains a NUL character.");
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(folders[0], path));
        var candidates = folders.SelectMany(f => new[] { Path.GetFullPath(f), ConfinedPath.RealPath(f) }).OfType<string>();
        return candidates.Any(root => IsWithin(root, full)) ? full : throw Outside(path, folders);
    }

    private static string Inside(IReadOnlyList<string> folders, string real, string path) =>
        folders.Select(ConfinedPath.RealPath).OfType<string>().Any(root => IsWithin(root, real))
            ? real
            : throw new ToolException($"'{path}' leads outside the workspace folders (through a symlink); refused.");

    private static bool IsWithin(string root, string path)
    {
        var trimmed = root.Length > 1 ? root.TrimEnd(Path.DirectorySeparatorChar) : root;
        return path == trimmed || path.StartsWith(trimmed + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || trimmed == Path.GetPathRoot(trimmed);
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static ToolException Outside(string path, IReadOnlyList<string> folders) =>
        new($"'{path}' is outside the workspace folders ({string.Join(", ", folders)}); only paths inside them are allowed.");
}
