using Plue.Tests.Support;

namespace Plue.Tests.Providers.ClaudeCode;

/// <summary>
/// A stand-in for the claude CLI: a shell script that records each start, its argv and every line it reads, and
/// answers each user turn by writing a recorded stream-json turn (tests/fixtures/claude-code) to stdout. For what the
/// real CLI cannot be made to do on cue: noise lines, control requests plue must refuse, an answer given at once.
/// </summary>
internal sealed class ReplayCli : IDisposable
{
    private readonly TempDir _dir = new();

    /// <param name="turn">The lines written for each user turn.</param>
    /// <param name="versionExit">The exit code of <c>--version</c>; <paramref name="authStatus"/> is what <c>auth status --json</c> prints.</param>
    public ReplayCli(IEnumerable<string> turn, int versionExit = 0, string authStatus = """{"loggedIn":true,"authMethod":"api_key"}""")
    {
        File.WriteAllLines(System.IO.Path.Combine(_dir.Path, "turn.jsonl"), turn);
        File.WriteAllText(System.IO.Path.Combine(_dir.Path, "auth.json"), authStatus);
        Path = System.IO.Path.Combine(_dir.Path, "claude");
        File.WriteAllText(Path, $$"""
            #!/usr/bin/env bash
            dir='{{_dir.Path}}'
            case "$1" in
              --version) echo "2.1.19 (Claude Code)"; echo "version check failed" >&2; exit {{versionExit}} ;;
              auth) cat "$dir/auth.json"; exit 0 ;;
            esac
            echo $$ >> "$dir/starts"
            printf '%s\n' "$@" > "$dir/argv"
            while IFS= read -r line; do
              printf '%s\n' "$line" >> "$dir/stdin"
              case "$line" in *'"type":"user"'*) cat "$dir/turn.jsonl" ;; esac
            done
            """.Replace("\r", ""));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    public string[] Argv => File.ReadAllLines(System.IO.Path.Combine(_dir.Path, "argv"));

    /// <summary>How many chat processes were started (<c>--version</c> and <c>auth</c> are not counted).</summary>
    public int Starts
    {
        get
        {
            var file = System.IO.Path.Combine(_dir.Path, "starts");
            return File.Exists(file) ? File.ReadAllLines(file).Length : 0;
        }
    }

    /// <summary>The lines the CLI has read so far.</summary>
    public string[] Stdin
    {
        get
        {
            var file = System.IO.Path.Combine(_dir.Path, "stdin");
            return File.Exists(file) ? File.ReadAllLines(file) : [];
        }
    }

    /// <summary>Waits (up to 10 s) until the CLI has read a line that contains <paramref name="text"/>.</summary>
    public async Task<string> ReadLineContainingAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (Stdin.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line) return line;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the CLI never read a line with {text}; it read:\n{string.Join('\n', Stdin)}");
            await Task.Delay(20);
        }
    }

    public static IEnumerable<string> Fixture(string name) => File.ReadLines(RepoPaths.Fixtures("claude-code", name));

    public void Dispose() => _dir.Dispose();
}
