using Plue.Agents.Tools.Files;

namespace Plue.Tests.Agents.Tools;

/// <summary>search with ripgrep (installed by scripts/install-tools.sh) and with the managed fallback, on the same real files.</summary>
public sealed class SearchToolTests
{
    public static TheoryData<string> Backends => new() { "rg", "managed" };

    private static SearchTool Tool(string backend)
    {
        if (backend == "managed") return new SearchTool(() => null);
        var rg = RipgrepSearch.Find();
        Assert.True(rg is not null, "ripgrep (rg) must be on PATH for this test: run scripts/install-tools.sh");
        return new SearchTool(() => rg);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Search_Pattern_ListsPathLineAndText(string backend)
    {
        using var ws = new ToolWorkspace();
        ws.Write("src/a.cs", "class A {}\n// TODO: fix A\n");
        ws.Write("src/b.cs", "class B {}\n");

        var result = await ws.RunAsync(Tool(backend), """{"pattern":"TODO"}""");

        Assert.False(result.IsError, result.Output);
        Assert.Contains("src/a.cs:2:// TODO: fix A", result.Output);
        Assert.DoesNotContain("b.cs", result.Output);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Search_GlobAndPath_NarrowTheFiles(string backend)
    {
        using var ws = new ToolWorkspace();
        ws.Write("src/a.cs", "needle\n");
        ws.Write("src/a.ts", "needle\n");
        ws.Write("docs/a.cs", "needle\n");

        var result = await ws.RunAsync(Tool(backend), """{"pattern":"needle","path":"src","glob":"*.cs"}""");

        Assert.Equal(["src/a.cs:1:needle"], Lines(result.Output));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Search_IgnoreCase_MatchesOtherCase(string backend)
    {
        using var ws = new ToolWorkspace();
        ws.Write("a.txt", "Needle\n");

        var result = await ws.RunAsync(Tool(backend), """{"pattern":"needle","ignore_case":true}""");

        Assert.Contains("a.txt:1:Needle", result.Output);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Search_ManyMatches_AreCappedAndSaySo(string backend)
    {
        using var ws = new ToolWorkspace();
        ws.Write("big.txt", string.Concat(Enumerable.Repeat("hit\n", SearchTool.MaxMatches + 50)));

        var result = await ws.RunAsync(Tool(backend), """{"pattern":"hit"}""");

        Assert.Equal(SearchTool.MaxMatches, Lines(result.Output).Count(l => l.StartsWith("big.txt:", StringComparison.Ordinal)));
        Assert.Contains($"more than {SearchTool.MaxMatches} matches", result.Output);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Search_SymlinkedFolderOutside_IsNotSearched(string backend)
    {
        using var ws = new ToolWorkspace();
        File.WriteAllText(Path.Combine(ws.Outside, "secret.txt"), "needle outside\n");
        Directory.CreateSymbolicLink(ws.PathOf("escape"), ws.Outside);
        ws.Write("in.txt", "needle inside\n");

        var result = await ws.RunAsync(Tool(backend), """{"pattern":"needle"}""");

        Assert.Contains("needle inside", result.Output);
        Assert.DoesNotContain("needle outside", result.Output);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Search_PathOutside_IsRefused(string backend)
    {
        using var ws = new ToolWorkspace();

        var result = await ws.RunAsync(Tool(backend), """{"pattern":"x","path":"../outside"}""");

        Assert.True(result.IsError);
        Assert.Contains("outside the workspace folders", result.Output);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Search_NoMatch_SaysNoMatches(string backend)
    {
        using var ws = new ToolWorkspace();
        ws.Write("a.txt", "hay\n");

        var result = await ws.RunAsync(Tool(backend), """{"pattern":"needle"}""");

        Assert.False(result.IsError);
        Assert.Contains("No matches.", result.Output);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Search_InvalidRegex_IsAnError(string backend)
    {
        using var ws = new ToolWorkspace();
        ws.Write("a.txt", "x\n");

        var result = await ws.RunAsync(Tool(backend), """{"pattern":"(unclosed"}""");

        Assert.True(result.IsError);
    }

    [Fact]
    public async Task Search_Ripgrep_SkipsFilesInGitignore()
    {
        using var ws = new ToolWorkspace();
        // ripgrep reads .gitignore inside a git repository; a bare .git folder is enough to make it one.
        Directory.CreateDirectory(ws.PathOf(".git"));
        ws.Write(".gitignore", "build/\n");
        ws.Write("build/out.txt", "needle in build\n");
        ws.Write("src/in.txt", "needle in src\n");

        var result = await ws.RunAsync(Tool("rg"), """{"pattern":"needle"}""");

        Assert.Contains("needle in src", result.Output);
        Assert.DoesNotContain("needle in build", result.Output);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('[')).ToArray();
}
