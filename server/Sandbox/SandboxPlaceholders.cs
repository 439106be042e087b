namespace Plue.Sandbox;

/// <summary>
/// The planted folders of a workspace (<c>.vscode</c>, <c>.claude</c>, <c>.codex</c>, <c>.cursor</c>,
/// <c>.github/hooks</c>) that do not exist yet, made empty for a long-running child (an MCP server, the Claude Code CLI,
/// an ACP agent) so the sandbox binds them read-only like those that exist (bwrap binds only what is there), and
/// removed when the last child holding them ends, if they are still empty (what the user put there meanwhile stays). A
/// short child (a bash call, a hook) needs none: what it makes there is removed when it ends. Files (<c>.envrc</c>,
/// <c>.mcp.json</c>) get none: an empty one would be read by direnv and the agents as a broken file.
/// </summary>
public static class SandboxPlaceholders
{
    private static readonly string[] s_folders = [".vscode", ".claude", ".codex", ".cursor", ".github/hooks"];
    private static readonly Dictionary<string, int> s_held = new(StringComparer.Ordinal);
    private static readonly Lock s_gate = new();

    /// <summary>
    /// Makes the missing planted folders of <paramref name="roots"/> (those the policy does not name writable) and holds
    /// them until the returned lease is disposed; an empty lease where the policy writes nothing.
    /// </summary>
    public static IDisposable Hold(IEnumerable<string> roots, SandboxPolicy policy)
    {
        // Seatbelt (macOS) denies a path whether it exists or not: only bwrap needs one there.
        if (policy.Files != SandboxFiles.WorkspaceWrite || Bubblewrap.Executable is null) return new Lease([]);
        var made = new List<string>();
        lock (s_gate)
        {
            foreach (var root in roots.Where(Directory.Exists))
                foreach (var name in s_folders)
                {
                    var path = Path.Combine(root, name);
                    if (policy.WritablePaths.Any(w => w == path || path.StartsWith(w.TrimEnd('/') + "/", StringComparison.Ordinal))) continue;
                    if (s_held.ContainsKey(path))
                    {
                        // Held for another child already: held once more, with the parent made for it (.github).
                        var current = root;
                        foreach (var part in name.Split('/'))
                        {
                            current = Path.Combine(current, part);
                            if (s_held.TryGetValue(current, out var count))
                            {
                                s_held[current] = count + 1;
                                made.Add(current);
                            }
                        }
                        continue;
                    }
                    if (Directory.Exists(path) || File.Exists(path) || new FileInfo(path).LinkTarget is not null) continue;
                    try
                    {
                        // .github/hooks: its .github too when missing, removed with it.
                        foreach (var folder in Missing(root, name))
                        {
                            Directory.CreateDirectory(folder);
                            s_held[folder] = s_held.GetValueOrDefault(folder) + 1;
                            made.Add(folder);
                        }
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // Not made: the child runs without it, as before.
                    }
                }
        }
        return new Lease(made);
    }

    /// <summary>The folders of <paramref name="name"/> under <paramref name="root"/> that do not exist, outermost first.</summary>
    private static List<string> Missing(string root, string name)
    {
        var missing = new List<string>();
        var current = root;
        foreach (var part in name.Split('/'))
        {
            current = Path.Combine(current, part);
            if (!Directory.Exists(current)) missing.Add(current);
        }
        return missing;
    }

    private sealed class Lease(List<string> held) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            lock (s_gate)
            {
                // Innermost first: .github/hooks before .github.
                foreach (var path in Enumerable.Reverse(held))
                {
                    if (!s_held.TryGetValue(path, out var count)) continue;
                    if (count > 1)
                    {
                        s_held[path] = count - 1;
                        continue;
                    }
                    s_held.Remove(path);
                    try
                    {
                        if (Directory.Exists(path) && !Directory.EnumerateFileSystemEntries(path).Any()) Directory.Delete(path);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // Something was put there meanwhile, or it is gone: left as it is.
                    }
                }
            }
        }
    }
}
