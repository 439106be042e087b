using System.Diagnostics;

namespace Plue.Tests.Support;

/// <summary>
/// The real Claude Code CLI for the claude-code tests: PLUE_CLAUDE_CLI, else the copy tests/support/install-claude.sh
/// keeps in ~/.cache/plue-vscode/claude (installed on first use). Missing is a failure, not a skip.
/// </summary>
internal static class ClaudeCli
{
    private static readonly Lazy<string> s_path = new(Find);

    public static string Path => s_path.Value;

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("PLUE_CLAUDE_CLI") is { Length: > 0 } configured)
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"PLUE_CLAUDE_CLI={configured} does not exist.");
        var cached = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "plue-vscode", "claude", "node_modules", ".bin", "claude");
        if (File.Exists(cached)) return cached;
        var script = System.IO.Path.Combine(RepoPaths.Root, "tests", "support", "install-claude.sh");
        using var install = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = install.StandardOutput.ReadToEnd().Trim();
        var error = install.StandardError.ReadToEnd();
        install.WaitForExit();
        return install.ExitCode == 0 && File.Exists(output) ? output
            : throw new InvalidOperationException($"The Claude Code CLI is required by these tests and could not be installed (run {script}, or set PLUE_CLAUDE_CLI): {error}");
    }
}
