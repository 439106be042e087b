using System.Diagnostics;

namespace Plue.Tests.Support;

/// <summary>The real git on a test's folder: a repository with a first commit, and reads of its state.</summary>
internal static class GitRepo
{
    /// <summary>Makes <paramref name="folder"/> a repository whose HEAD commits the files it holds now.</summary>
    public static void Init(string folder)
    {
        Run(folder, "init", "--quiet");
        Run(folder, "add", "--all");
        Run(folder, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "--allow-empty", "-m", "first");
    }

    /// <summary>git's standard output; a failure throws with its error.</summary>
    public static string Run(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error}");
        return output.Result;
    }

    /// <summary>The worktrees git knows of <paramref name="folder"/>'s repository, the main one included.</summary>
    public static IReadOnlyList<string> Worktrees(string folder) =>
        [.. Run(folder, "worktree", "list", "--porcelain").Split('\n').Where(l => l.StartsWith("worktree ", StringComparison.Ordinal)).Select(l => l["worktree ".Length..])];
}
