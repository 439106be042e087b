using System.Diagnostics;

namespace Plue.Agents.Tools.Files;

/// <summary>
/// Searches with ripgrep (<c>rg</c>): fast, and it honours .gitignore. It follows no symlinks, reads no config
/// file (one could add <c>--follow</c>), and is stopped once enough matches are in.
/// </summary>
public static class RipgrepSearch
{
    private const int MaxLineChars = 500;

    /// <summary>The first <c>rg</c> on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "rg.exe" : "rg");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <param name="policy">The chat's or task's policy: under any but off, ripgrep runs in a sandbox that shows it
    /// <paramref name="folders"/> (the workspace) read-only, never the Plue home, no network, a private <c>/tmp</c>
    /// (<see cref="Sandbox.SandboxPolicy.Reading"/>): a link or ignore file the agent wrote cannot lead it elsewhere.</param>
    public static async Task<SearchOutcome> RunAsync(string rg, SearchRequest request, CancellationToken cancellationToken,
        Sandbox.SandboxPolicy? policy = null, IReadOnlyList<string>? folders = null, string? plueHome = null)
    {
        var start = Processes.ChildLauncher.StartInfo(new Processes.ChildCommand
        {
            Program = rg,
            Arguments = [.. Arguments(request)],
            Environment = env => Processes.ChildEnvironment.Apply(env),
            Policy = (policy ?? Sandbox.SandboxPolicy.Off).Reading,
            // Its own program readable wherever it is installed (~/.cargo/bin under a hidden home).
            Places = Sandbox.SandboxPlaces.For((folders ?? request.Roots).Select(f => Codex.Content.ConfinedPath.RealPath(f) ?? f), plueHome)
                with { ReadOnly = [.. new[] { Codex.Content.ConfinedPath.RealPath(rg) ?? rg }.Select(Path.GetDirectoryName).OfType<string>()] },
        });
        using var process = Processes.ChildLauncher.Start(start) ?? throw new ToolException($"Could not start ripgrep at {rg}.");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var matches = new List<SearchMatch>();
        var truncated = false;
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (Parse(line) is not { } match) continue;
                if (matches.Count == request.MaxMatches)
                {
                    truncated = true;
                    break;
                }
                matches.Add(match);
            }
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var errors = (await stderr.ConfigureAwait(false)).Trim();
        // 1: nothing matched; 2: an error, which with matches is only some unreadable file.
        if (!truncated && process.ExitCode == 2 && matches.Count == 0)
            throw new ToolException($"ripgrep failed: {(errors.Length > 0 ? errors : "exit code 2")}");
        return new SearchOutcome(matches, truncated, errors.Length > 0 && !truncated ? $"ripgrep reported: {Cap(errors)}" : null);
    }

    private static IEnumerable<string> Arguments(SearchRequest request)
    {
        string[] fixedArgs = ["--no-config", "--line-number", "--with-filename", "--no-heading", "--null", "--color", "never",
            "--max-columns", MaxLineChars.ToString(System.Globalization.CultureInfo.InvariantCulture), "--max-columns-preview"];
        foreach (var arg in fixedArgs) yield return arg;
        if (request.IgnoreCase) yield return "--ignore-case";
        if (request.Glob is { } glob)
        {
            yield return "--glob";
            yield return glob;
        }
        yield return "--regexp";
        yield return request.Pattern;
        yield return "--";
        foreach (var root in request.Roots) yield return root;
    }

    /// <summary><c>path NUL line:text</c>, as <c>--null</c> prints it.</summary>
    private static SearchMatch? Parse(string line)
    {
        var nul = line.IndexOf('\0', StringComparison.Ordinal);
        if (nul < 0) return null;
        var colon = line.IndexOf(':', nul + 1);
        if (colon < 0 || !int.TryParse(line.AsSpan(nul + 1, colon - nul - 1), out var number)) return null;
        return new SearchMatch(line[..nul], number, line[(colon + 1)..]);
    }

    private static string Cap(string text) => text.Length <= 1000 ? text : text[..1000] + "…";
}
