namespace Plue.Tests.Support;

/// <summary>
/// A fact that needs the real claude CLI: PLUE_CLAUDE_CLI, else the copy tests/support/install-claude.sh keeps in the
/// cache. Without either the test is skipped, saying why, rather than installing anything.
/// </summary>
public sealed class ClaudeCliFactAttribute : FactAttribute
{
    public ClaudeCliFactAttribute()
    {
        if (Find() is null)
            Skip = "The claude CLI is not installed: set PLUE_CLAUDE_CLI, or run tests/support/install-claude.sh";
    }

    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("PLUE_CLAUDE_CLI") is { Length: > 0 } configured) return File.Exists(configured) ? configured : null;
        var cached = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "plue-vscode", "claude", "node_modules", ".bin", "claude");
        return File.Exists(cached) ? cached : null;
    }
}
