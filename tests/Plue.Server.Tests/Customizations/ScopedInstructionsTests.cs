using System.Text.Json.Nodes;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Tests.Customizations;

/// <summary>Which files a turn's tool calls bring into play, and how a scoped file they match joins once (docs/CUSTOMIZATIONS.md, Scoped instructions).</summary>
public sealed class ScopedInstructionsTests
{
    private static readonly string Workspace = Path.Combine(Path.GetTempPath(), "plue-ws");
    private static readonly string Worktree = Path.Combine(Path.GetTempPath(), "plue-worktree");

    private static ToolUsePart Call(string name, string path, ToolState state = ToolState.Completed) =>
        new() { Id = Guid.NewGuid().ToString("N"), Name = name, State = state, Input = new JsonObject { ["path"] = path } };

    private static SessionMessage Answer(params MessagePart[] parts) => new()
    {
        Id = "m", SessionId = "s", Seq = 1, Role = MessageRole.Assistant, Status = MessageStatus.Complete, Parts = parts, CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static ScopedInstruction Rule(string path, string glob, bool always = false) =>
        new(Workspace, path, [GlobPattern.Compile(glob)], always, $"{path} text");

    [Fact]
    public void Touched_FinishedReadsWritesAndEdits_InTheWorkspaceFolder()
    {
        var answer = Answer(
            Call("read", "src/a.cs"),
            Call("edit", Path.Combine(Worktree, "web", "b.html")),
            Call("write", "denied.cs", ToolState.Denied),
            Call("read", "missing.cs", ToolState.Error),
            Call("bash", "src/c.cs"),
            Call("read", "/etc/passwd"));

        var touched = ScopedInstructions.Touched([answer], [Worktree], [Workspace]);

        // The worktree's paths are the workspace's: its scoped files are the workspace's.
        Assert.Equal([new TouchedFile(Path.Combine(Workspace, "src", "a.cs"), "read"), new TouchedFile(Path.Combine(Workspace, "web", "b.html"), "written")], touched);
    }

    [Fact]
    public void Join_EachMatchingFileOnce_WithWhy_AndNotThoseSentAlready()
    {
        var sent = new SentInstructions([new InstructionsFile(".cursor/rules/web.mdc", "web")]);
        IReadOnlyList<ScopedInstruction> scoped = [Rule(".github/instructions/cs.instructions.md", "**/*.cs"), Rule(".cursor/rules/web.mdc", "web/**"), Rule(".cursor/rules/always.mdc", "", always: true)];
        var why = new Dictionary<string, string>();

        var first = sent.Join(scoped, [new(Path.Combine(Workspace, "notes.txt"), "read"), new(Path.Combine(Workspace, "web", "x.html"), "written"), new(Path.Combine(Workspace, "src", "a.cs"), "written")], why: why);
        var again = sent.Join(scoped, [new(Path.Combine(Workspace, "src", "b.cs"), "read")]);

        Assert.Equal([".github/instructions/cs.instructions.md"], first.Select(f => f.Path));
        Assert.Equal("written by the agent: src/a.cs", why[".github/instructions/cs.instructions.md"]);
        Assert.Empty(again);
        Assert.Equal([".cursor/rules/web.mdc", ".github/instructions/cs.instructions.md"], sent.Files.Select(f => f.Path));
    }

    [Fact]
    public void Join_AFileWhoseTextWasSent_IsNamedOnce()
    {
        var sent = new SentInstructions([new InstructionsFile("AGENTS.md", ".github/instructions/cs.instructions.md text")]);
        var skipped = new List<string>();

        sent.Join([Rule(".github/instructions/cs.instructions.md", "**/*.cs")], [new(Path.Combine(Workspace, "a.cs"), "read")], skipped);
        sent.Join([Rule(".github/instructions/cs.instructions.md", "**/*.cs")], [new(Path.Combine(Workspace, "b.cs"), "read")], skipped);

        Assert.Equal([".github/instructions/cs.instructions.md was not sent again: it holds the same text as AGENTS.md"], skipped);
    }
}
