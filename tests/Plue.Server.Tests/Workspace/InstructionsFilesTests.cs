using System.Diagnostics;
using Plue.Tests.Support;
using Plue.Workspace;

namespace Plue.Tests.Workspace;

/// <summary>
/// Which instructions files a workspace gives: the root's AGENTS.md, CLAUDE.md, GEMINI.md, .github/copilot-instructions.md, .clinerules and
/// .plue/rules/*.md, and the nearest AGENTS.md and CLAUDE.md above each file in play (a shared text once); anything that is no regular file, too large or
/// a link out of the folder is left out and named as skipped, never read.
/// </summary>
public sealed class InstructionsFilesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_dir.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void Find_EveryKind_InTheOrderTheModelReadsThem()
    {
        Write("AGENTS.md", "root agents");
        Write("CLAUDE.md", "claude");
        Write(".github/copilot-instructions.md", "copilot");
        Write(".plue/rules/b.md", "rule b");
        Write(".plue/rules/a.md", "rule a");
        Write(".plue/rules/notes.txt", "not a rule");

        var found = InstructionsFiles.Find([_dir.Path], []);

        Assert.Equal(["AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md", ".plue/rules/a.md", ".plue/rules/b.md"], found.Select(f => f.Path));
        Assert.Equal("rule a", found[3].Text);
    }

    [Fact]
    public void Find_NearestAgentsMd_AboveAFileInPlay_NotAFartherOne()
    {
        Write("AGENTS.md", "root");
        Write("pkg/AGENTS.md", "package");
        Write("pkg/web/AGENTS.md", "web");
        Write("pkg/web/src/app.ts", "code");
        Write("other/AGENTS.md", "unrelated");

        var found = InstructionsFiles.Find([_dir.Path], ["pkg/web/src/app.ts", Path.Combine(_dir.Path, "pkg", "lib.ts"), "/elsewhere/x.ts"]);

        Assert.Equal(["AGENTS.md", "pkg/web/AGENTS.md", "pkg/AGENTS.md"], found.Select(f => f.Path));
    }

    [Fact]
    public void Find_ClinerulesFile_GeminiMd_NestedClaudeMd_AndASharedTextOnce()
    {
        Write("AGENTS.md", "same\n");
        Write("CLAUDE.md", "same\r\n");
        Write("GEMINI.md", "gemini");
        Write(".clinerules", "cline file");
        Write("pkg/CLAUDE.md", "package claude");
        Write("pkg/a.ts", "code");
        var skipped = new List<string>();

        var found = InstructionsFiles.Find([_dir.Path], ["pkg/a.ts"], skipped);

        Assert.Equal(["AGENTS.md", "pkg/CLAUDE.md", "GEMINI.md", ".clinerules"], found.Select(f => f.Path));
        Assert.Equal("CLAUDE.md was not sent again: it holds the same text as AGENTS.md", Assert.Single(skipped));
    }

    [Fact]
    public void Find_Oversize_IsSkippedWithWhy_AndTheRestIsRead()
    {
        Write("AGENTS.md", new string('x', InstructionsFiles.MaxFileBytes + 1));
        Write("CLAUDE.md", "small");
        var skipped = new List<string>();

        var found = InstructionsFiles.Find([_dir.Path], [], skipped);

        Assert.Equal(["CLAUDE.md"], found.Select(f => f.Path));
        Assert.Equal("AGENTS.md was not read: it is larger than 64 KiB", Assert.Single(skipped));
    }

    [Fact]
    public void Find_Fifo_IsRefusedWithoutWaiting_AndALinkOutIsNotFollowed()
    {
        using var outside = new TempDir();
        File.WriteAllText(Path.Combine(outside.Path, "secret.md"), "outside the workspace");
        Directory.CreateDirectory(Path.Combine(_dir.Path, ".plue", "rules"));
        File.CreateSymbolicLink(Path.Combine(_dir.Path, ".plue", "rules", "escape.md"), Path.Combine(outside.Path, "secret.md"));
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(_dir.Path, "AGENTS.md")]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var skipped = new List<string>();

        var found = InstructionsFiles.Find([_dir.Path], [], skipped);

        Assert.Empty(found);
        Assert.Equal(
            ["AGENTS.md was not read: it is not a regular file (a device, a pipe, a socket or a folder), and only regular files are read",
             ".plue/rules/escape.md was not read: it leads outside the workspace folder"],
            skipped);
    }

    [Fact]
    public void Prompt_NamesEachFile_AndIsNullWithoutAny()
    {
        Assert.Null(InstructionsFiles.Prompt([]));
        var prompt = InstructionsFiles.Prompt([new InstructionsFile("AGENTS.md", "Use tabs.\n")])!;
        Assert.Contains("<instructions file=\"AGENTS.md\">\nUse tabs.\n</instructions>", prompt, StringComparison.Ordinal);
    }
}
