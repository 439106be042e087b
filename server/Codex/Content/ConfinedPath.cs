namespace Plue.Codex.Content;

/// <summary>
/// Resolves a path inside a root with every symlink followed, and refuses one whose real
/// location is outside the root's real location: a link must not lead out of its root.
/// </summary>
public static class ConfinedPath
{
    /// <summary>The real path of <paramref name="relative"/> under <paramref name="root"/>, or null when it escapes or does not exist.</summary>
    public static string? Resolve(string root, string relative)
    {
        if (!Directory.Exists(root)) return null;
        var realRoot = RealPath(root);
        var candidate = RealPath(Path.Combine(root, relative));
        if (candidate is null || realRoot is null) return null;
        var prefix = realRoot.EndsWith(Path.DirectorySeparatorChar) ? realRoot : realRoot + Path.DirectorySeparatorChar;
        return candidate.StartsWith(prefix, StringComparison.Ordinal) ? candidate : null;
    }

    /// <summary>Follows links component by component (like realpath(3)); null when a part is missing.</summary>
    public static string? RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var hops = 0; hops < 64 && parts.Length > 0; hops++)
        {
            var next = Path.Combine(current, parts[0]);
            parts = parts[1..];
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (!info.Exists) return null;
            if (info.LinkTarget is { } target)
            {
                var resolved = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target));
                var resolvedRoot = Path.GetPathRoot(resolved)!;
                parts = [.. resolved[resolvedRoot.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries), .. parts];
                current = resolvedRoot;
                continue;
            }
            current = next;
        }
        return parts.Length == 0 ? current : null;
    }
}
