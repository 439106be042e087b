using Plue.Tests.Support;
using Plue.Workspace;

namespace Plue.Tests.Workspace;

/// <summary>
/// A folder watched only for its entries (the plue home, waited on for its templates folder) is not woken by writes to
/// the files in it: the database beside it is written all through a streamed answer.
/// </summary>
public sealed class FolderWatchTests
{
    [Fact]
    public async Task WatchingEntriesOnly_WritesToAFileTellNothing_AndAFolderMadeIsTold()
    {
        using var dir = new TempDir();
        var busy = Path.Combine(dir.Path, "plue.db-wal");
        File.WriteAllText(busy, "");
        var seen = new List<string>();
        var made = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = new FolderWatch(() => { });
        Assert.True(watch.TryAdd(dir.Path, recursive: false, change =>
        {
            lock (seen) seen.Add(change.Name ?? "");
            if (change.Name == "templates") made.TrySetResult();
            return false;
        }, out var why, entriesOnly: true), why);

        for (var i = 0; i < 20; i++) File.AppendAllText(busy, "page ");
        Directory.CreateDirectory(Path.Combine(dir.Path, "templates"));

        await made.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (seen) Assert.DoesNotContain("plue.db-wal", seen);
    }

    [Fact]
    public async Task WatchingEverything_WritesToAFileAreTold()
    {
        // The check above can fail: the same writes reach a watch of everything.
        using var dir = new TempDir();
        var busy = Path.Combine(dir.Path, "plue.db-wal");
        File.WriteAllText(busy, "");
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = new FolderWatch(() => { });
        Assert.True(watch.TryAdd(dir.Path, recursive: false, change =>
        {
            if (change.Name == "plue.db-wal") written.TrySetResult();
            return false;
        }, out var why), why);

        File.AppendAllText(busy, "page ");

        await written.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
