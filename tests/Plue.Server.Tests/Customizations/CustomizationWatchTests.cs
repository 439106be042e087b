using Microsoft.Extensions.Logging.Abstractions;
using Plue.Customizations;
using Plue.Tests.Codex.Records;
using Plue.Tests.Support;
using Plue.Workspace;

namespace Plue.Tests.Customizations;

/// <summary>
/// The agent setups' files are watched once first read, beside the caller (a recursive watch walks every folder of the
/// workspace, node_modules included): a file saved before the watch is set up is still noticed; a registry that does
/// not watch (<c>plue ask</c>'s) reads once.
/// </summary>
public sealed class CustomizationWatchTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("plue-customization-watch-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task AFileSavedRightAfterTheFirstRead_WhileTheWatchIsStillBeingSetUp_IsNoticed()
    {
        var (context, command) = Workspace(folders: 3000);
        using var codex = new CodexWorld();
        using var registry = new CustomizationRegistry(context, codex.Service, NullLogger<CustomizationRegistry>.Instance);
        var changes = 0;
        registry.Changed += () => Interlocked.Increment(ref changes);

        Assert.Equal("First", Hello(registry));
        // At once: the watch of 3,000 folders is still being set up, so no event brings this save.
        File.WriteAllText(command, "---\ndescription: Second, saved at once\n---\nHELLO\n");

        // Told, and read whole: a read between the save's truncation and its write is followed by the write's own event.
        await Polling.Eventually(() => Volatile.Read(ref changes) > 0 && Hello(registry) == "Second, saved at once", "the save read after a change told");
    }

    [Fact]
    public async Task ARegistryThatDoesNotWatch_ReadsOnce_AndTellsNoChange()
    {
        var (context, command) = Workspace(folders: 10);
        using var codex = new CodexWorld();
        using var registry = new CustomizationRegistry(context, codex.Service, NullLogger<CustomizationRegistry>.Instance, watch: false);
        var changes = 0;
        registry.Changed += () => Interlocked.Increment(ref changes);

        Assert.Equal("First", Hello(registry));
        File.WriteAllText(command, "---\ndescription: Second\n---\nHELLO\n");
        await Task.Delay(1000);

        Assert.Equal(0, changes);
        Assert.Equal("First", Hello(registry));
    }

    private (WorkspaceContext Context, string Command) Workspace(int folders)
    {
        var workspace = Path.Combine(_root, "w");
        Directory.CreateDirectory(Path.Combine(workspace, ".claude", "commands"));
        var command = Path.Combine(workspace, ".claude", "commands", "hello.md");
        File.WriteAllText(command, "---\ndescription: First\n---\nHELLO\n");
        // Folders the scan leaves out (node_modules) but a recursive watch walks.
        for (var i = 0; i < folders; i++) Directory.CreateDirectory(Path.Combine(workspace, "node_modules", $"p{i / 100}", $"m{i}"));
        var context = new WorkspaceContext();
        context.Initialize(Path.Combine(_root, "plue-home"), [workspace], trusted: true);
        return (context, command);
    }

    private static string? Hello(CustomizationRegistry registry) => registry.Current.Single(i => i.Name == "hello").Description;
}
