using Plue.Agents.Tools.Files;
using static Plue.Tests.Agents.Tools.ToolWorkspace;

namespace Plue.Tests.Agents.Tools;

/// <summary>read, write and edit on a real temporary workspace.</summary>
public sealed class FileToolTests
{
    [Fact]
    public async Task Read_RelativePath_ReturnsNumberedLines()
    {
        using var ws = new ToolWorkspace();
        ws.Write("src/a.txt", "alpha\nbeta\ngamma\n");

        var result = await ws.RunAsync(new ReadTool(), """{"path":"src/a.txt"}""");

        Assert.False(result.IsError, result.Output);
        Assert.Equal("1\talpha\n2\tbeta\n3\tgamma\n", result.Output);
    }

    [Fact]
    public async Task Read_OffsetAndLimit_ShowsThatSliceAndSaysWhereToReadOn()
    {
        using var ws = new ToolWorkspace();
        ws.Write("many.txt", string.Join('\n', Enumerable.Range(1, 10).Select(i => $"line {i}")));

        var result = await ws.RunAsync(new ReadTool(), """{"path":"many.txt","offset":4,"limit":3}""");

        Assert.StartsWith("4\tline 4\n5\tline 5\n6\tline 6\n", result.Output);
        Assert.DoesNotContain("line 7", result.Output);
        // The model must learn it saw only part of the file, and how to get the rest.
        Assert.Contains("Truncated", result.Output);
        Assert.Contains("of 10", result.Output);
        Assert.Contains("offset 7", result.Output);
    }

    [Fact]
    public async Task Read_LongFile_IsCutAtTheDefaultLimitAndSaysSo()
    {
        using var ws = new ToolWorkspace();
        ws.Write("long.txt", string.Concat(Enumerable.Range(1, ReadTool.DefaultLimit + 5).Select(i => $"{i}\n")));

        var result = await ws.RunAsync(new ReadTool(), """{"path":"long.txt"}""");

        Assert.Contains($"{ReadTool.DefaultLimit}\t{ReadTool.DefaultLimit}\n", result.Output);
        Assert.DoesNotContain($"{ReadTool.DefaultLimit + 1}\t", result.Output);
        Assert.Contains($"read on with offset {ReadTool.DefaultLimit + 1}", result.Output);
    }

    [Fact]
    public async Task Read_MissingFile_IsAnErrorNamingIt()
    {
        using var ws = new ToolWorkspace();

        var result = await ws.RunAsync(new ReadTool(), """{"path":"nope.txt"}""");

        Assert.True(result.IsError);
        Assert.Contains("'nope.txt' does not exist", result.Output);
    }

    [Fact]
    public async Task Read_BinaryFile_IsNotShown()
    {
        using var ws = new ToolWorkspace();
        File.WriteAllBytes(ws.PathOf("blob.bin"), [1, 2, 0, 3]);

        var result = await ws.RunAsync(new ReadTool(), """{"path":"blob.bin"}""");

        Assert.Contains("binary file (4 bytes)", result.Output);
    }

    [Fact]
    public async Task Read_AbsolutePathInsideTheWorkspace_IsAccepted()
    {
        using var ws = new ToolWorkspace();
        var path = ws.Write("abs.txt", "inside");

        var result = await ws.RunAsync(new ReadTool(), $$"""{"path":{{Quote(path)}}}""");

        Assert.Equal("1\tinside\n", result.Output);
    }

    [Fact]
    public async Task Read_AbsolutePathInTheSecondFolder_IsAcceptedAndShownAbsolute()
    {
        using var ws = new ToolWorkspace();
        var second = Directory.CreateDirectory(Path.Combine(ws.Home, "second")).FullName;
        ws.Session.Initialize(ws.Home, [ws.Folder, second], trusted: true);
        var path = Path.Combine(second, "b.txt");
        File.WriteAllText(path, "second folder");

        var read = await ws.RunAsync(new ReadTool(), $$"""{"path":{{Quote(path)}}}""");
        var written = await ws.RunAsync(new WriteTool(), $$"""{"path":{{Quote(Path.Combine(second, "c.txt"))}},"content":"x"}""");

        Assert.Equal("1\tsecond folder\n", read.Output);
        Assert.Contains(Path.Combine(second, "c.txt"), written.Output);
    }

    [Fact]
    public async Task Read_DotDotOutOfTheWorkspace_IsRefused()
    {
        using var ws = new ToolWorkspace();
        File.WriteAllText(Path.Combine(ws.Outside, "secret.txt"), "do not read");

        var result = await ws.RunAsync(new ReadTool(), """{"path":"../outside/secret.txt"}""");

        Assert.True(result.IsError);
        Assert.Contains("outside the workspace folders", result.Output);
        Assert.DoesNotContain("do not read", result.Output);
    }

    [Fact]
    public async Task Read_AbsolutePathOutsideTheWorkspace_IsRefused()
    {
        using var ws = new ToolWorkspace();
        var secret = Path.Combine(ws.Outside, "secret.txt");
        File.WriteAllText(secret, "do not read");

        var result = await ws.RunAsync(new ReadTool(), $$"""{"path":{{Quote(secret)}}}""");

        Assert.True(result.IsError);
        Assert.Contains("outside the workspace folders", result.Output);
    }

    [Fact]
    public async Task Read_SymlinkLeadingOutside_IsRefused()
    {
        using var ws = new ToolWorkspace();
        File.WriteAllText(Path.Combine(ws.Outside, "secret.txt"), "do not read");
        Directory.CreateSymbolicLink(ws.PathOf("escape"), ws.Outside);

        var result = await ws.RunAsync(new ReadTool(), """{"path":"escape/secret.txt"}""");

        Assert.True(result.IsError);
        Assert.Contains("leads outside the workspace folders", result.Output);
        Assert.DoesNotContain("do not read", result.Output);
    }

    [Fact]
    public async Task Read_SymlinkStayingInside_IsFollowed()
    {
        using var ws = new ToolWorkspace();
        ws.Write("real/file.txt", "linked");
        Directory.CreateSymbolicLink(ws.PathOf("alias"), ws.PathOf("real"));

        var result = await ws.RunAsync(new ReadTool(), """{"path":"alias/file.txt"}""");

        Assert.Equal("1\tlinked\n", result.Output);
    }

    [Fact]
    public async Task Read_NoWorkspaceFolder_IsRefusedWithAClearMessage()
    {
        using var ws = new ToolWorkspace();
        ws.Session.Initialize(ws.Home, trusted: true);

        var result = await ws.RunAsync(new ReadTool(), """{"path":"a.txt"}""");

        Assert.True(result.IsError);
        Assert.Equal(WorkspacePaths.NoWorkspace, result.Output);
    }

    [Fact]
    public async Task Write_NewFileInNewFolders_CreatesThem()
    {
        using var ws = new ToolWorkspace();

        var result = await ws.RunAsync(new WriteTool(), """{"path":"deep/er/new.txt","content":"hello\n"}""");

        Assert.False(result.IsError, result.Output);
        Assert.Equal("hello\n", File.ReadAllText(ws.PathOf("deep/er/new.txt")));
        Assert.Contains("Created deep/er/new.txt (6 bytes)", result.Output);
    }

    [Fact]
    public async Task Write_ExistingFile_ReplacesItsContent()
    {
        using var ws = new ToolWorkspace();
        ws.Write("a.txt", "old content that is longer");

        var result = await ws.RunAsync(new WriteTool(), """{"path":"a.txt","content":"new"}""");

        Assert.Contains("Replaced a.txt", result.Output);
        Assert.Equal("new", File.ReadAllText(ws.PathOf("a.txt")));
    }

    [Fact]
    public async Task Write_ThroughSymlinkedFolderOutside_IsRefusedAndWritesNothing()
    {
        using var ws = new ToolWorkspace();
        Directory.CreateSymbolicLink(ws.PathOf("escape"), ws.Outside);

        var result = await ws.RunAsync(new WriteTool(), """{"path":"escape/sub/planted.txt","content":"x"}""");

        Assert.True(result.IsError);
        Assert.Contains("leads outside the workspace folders", result.Output);
        Assert.False(Directory.Exists(Path.Combine(ws.Outside, "sub")));
    }

    [Fact]
    public async Task Write_ThroughDanglingSymlink_IsRefusedAndCreatesNoTarget()
    {
        using var ws = new ToolWorkspace();
        var target = Path.Combine(ws.Outside, "created-by-link.txt");
        File.CreateSymbolicLink(ws.PathOf("dangling.txt"), target);

        var result = await ws.RunAsync(new WriteTool(), """{"path":"dangling.txt","content":"x"}""");

        Assert.True(result.IsError);
        Assert.Contains("symlink whose target does not exist", result.Output);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Write_DotDotOutOfTheWorkspace_IsRefused()
    {
        using var ws = new ToolWorkspace();

        var result = await ws.RunAsync(new WriteTool(), """{"path":"../outside/planted.txt","content":"x"}""");

        Assert.True(result.IsError);
        Assert.False(File.Exists(Path.Combine(ws.Outside, "planted.txt")));
    }

    [Fact]
    public async Task Edit_UniqueOldString_IsReplaced()
    {
        using var ws = new ToolWorkspace();
        ws.Write("code.cs", "int a = 1;\nint b = 2;\n");

        var result = await ws.RunAsync(new EditTool(), """{"path":"code.cs","old_string":"int b = 2;","new_string":"int b = 3;"}""");

        Assert.False(result.IsError, result.Output);
        Assert.Equal("int a = 1;\nint b = 3;\n", File.ReadAllText(ws.PathOf("code.cs")));
        Assert.Contains("replaced 1 occurrence", result.Output);
    }

    [Fact]
    public async Task Edit_MissingOldString_IsAnErrorAndTheFileIsUnchanged()
    {
        using var ws = new ToolWorkspace();
        ws.Write("code.cs", "int a = 1;\n");

        var result = await ws.RunAsync(new EditTool(), """{"path":"code.cs","old_string":"int z = 9;","new_string":"x"}""");

        Assert.True(result.IsError);
        Assert.Contains("'old_string' was not found in code.cs", result.Output);
        Assert.Equal("int a = 1;\n", File.ReadAllText(ws.PathOf("code.cs")));
    }

    [Fact]
    public async Task Edit_OldStringTwice_IsAnErrorSayingHowManyAndTheFileIsUnchanged()
    {
        using var ws = new ToolWorkspace();
        ws.Write("code.cs", "x = 1;\nx = 1;\n");

        var result = await ws.RunAsync(new EditTool(), """{"path":"code.cs","old_string":"x = 1;","new_string":"x = 2;"}""");

        Assert.True(result.IsError);
        Assert.Contains("occurs 2 times", result.Output);
        Assert.Contains("replace_all", result.Output);
        Assert.Equal("x = 1;\nx = 1;\n", File.ReadAllText(ws.PathOf("code.cs")));
    }

    [Fact]
    public async Task Edit_ReplaceAll_ReplacesEveryOccurrence()
    {
        using var ws = new ToolWorkspace();
        ws.Write("code.cs", "x = 1;\nx = 1;\n");

        var result = await ws.RunAsync(new EditTool(), """{"path":"code.cs","old_string":"x = 1;","new_string":"x = 2;","replace_all":true}""");

        Assert.Contains("replaced 2 occurrences", result.Output);
        Assert.Equal("x = 2;\nx = 2;\n", File.ReadAllText(ws.PathOf("code.cs")));
    }

    [Fact]
    public async Task Edit_CrlfFileWithLfOldString_MatchesAndKeepsCrlf()
    {
        using var ws = new ToolWorkspace();
        File.WriteAllText(ws.PathOf("win.txt"), "one\r\ntwo\r\nthree\r\n");

        var result = await ws.RunAsync(new EditTool(), """{"path":"win.txt","old_string":"one\ntwo","new_string":"one\n2"}""");

        Assert.False(result.IsError, result.Output);
        Assert.Equal("one\r\n2\r\nthree\r\n", File.ReadAllText(ws.PathOf("win.txt")));
    }

    [Fact]
    public async Task Edit_FileWithBom_KeepsTheBom()
    {
        using var ws = new ToolWorkspace();
        File.WriteAllBytes(ws.PathOf("bom.txt"), [0xEF, 0xBB, 0xBF, (byte)'a', (byte)'b']);

        await ws.RunAsync(new EditTool(), """{"path":"bom.txt","old_string":"b","new_string":"c"}""");

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'a', (byte)'c' }, File.ReadAllBytes(ws.PathOf("bom.txt")));
    }
}
