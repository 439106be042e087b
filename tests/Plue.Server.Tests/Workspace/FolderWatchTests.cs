using Plue.Tests.Support;
using Plue.Workspace;

namespace Plue.Tests.Workspace;

/// <summary>
/// A folder watched is told of its changes; watching a new set keeps the watches of the folders in both (a recursive
/// watch of a large workspace set up again missed the saves made meanwhile). A folder watched only for its entries (the plue home, waited on for its templates folder) is not woken by writes to
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
        Assert.Empty(watch.WatchOnly([new WatchedFolder(dir.Path, Recursive: false, change =>
        {
            lock (seen) seen.Add(change.Name ?? "");
            if (change.Name == "templates") made.TrySetResult();
            return false;
        }, EntriesOnly: true)]));

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
        Assert.Empty(watch.WatchOnly([new WatchedFolder(dir.Path, Recursive: false, change =>
        {
            if (change.Name == "plue.db-wal") written.TrySetResult();
            return false;
        })]));

        File.AppendAllText(busy, "page ");

        await written.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WatchingANewSet_KeepsTheWatchOfAFolderInBoth_StopsTheDropped_StartsTheNew()
    {
        using var kept = new TempDir();
        using var dropped = new TempDir();
        using var added = new TempDir();
        var told = new List<string>();
        var keptTold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var addedTold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<FileSystemEventArgs, bool> Tell(string who, TaskCompletionSource? done = null) => change =>
        {
            lock (told) told.Add($"{who}:{change.Name}");
            done?.TrySetResult();
            return false;
        };
        using var watch = new FolderWatch(() => { });
        Assert.Empty(watch.WatchOnly([new WatchedFolder(kept.Path, Recursive: true, Tell("first", keptTold)), new WatchedFolder(dropped.Path, Recursive: false, Tell("dropped"))]));

        // The same folder watched the same way, given anew: its first watch goes on (the second's test is never asked).
        Assert.Empty(watch.WatchOnly([new WatchedFolder(kept.Path, Recursive: true, Tell("second")), new WatchedFolder(added.Path, Recursive: false, Tell("added", addedTold))]));
        File.WriteAllText(Path.Combine(dropped.Path, "d.txt"), "d");
        File.WriteAllText(Path.Combine(kept.Path, "k.txt"), "k");
        File.WriteAllText(Path.Combine(added.Path, "a.txt"), "a");

        await Task.WhenAll(keptTold.Task, addedTold.Task).WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(300); // a late event of the dropped folder would be in by now
        lock (told)
        {
            Assert.Contains("first:k.txt", told);
            Assert.Contains("added:a.txt", told);
            Assert.DoesNotContain(told, t => t.StartsWith("second:", StringComparison.Ordinal) || t.StartsWith("dropped:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AWatchedFolderDeletedAndMadeAgain_BeforeTheWatchIsAskedAgain_IsWatchedAgain()
    {
        // `git checkout` of a branch without the folder and back, within the reread's debounce: the set to watch is the
        // same, but the folder is another, and the first one's watch went with it.
        using var root = new TempDir();
        var folder = Path.Combine(root.Path, "templates");
        Directory.CreateDirectory(folder);
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = new FolderWatch(() => { });
        WatchedFolder Templates() => new(folder, Recursive: false, change =>
        {
            if (change.Name == "after.json5") written.TrySetResult();
            return false;
        });
        Assert.Empty(watch.WatchOnly([Templates()]));

        Directory.Delete(folder);
        Directory.CreateDirectory(folder);
        Assert.Empty(watch.WatchOnly([Templates()]));
        File.WriteAllText(Path.Combine(folder, "after.json5"), "{}");

        await written.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void AFolderThatCannotBeWatched_IsReturnedWithWhy()
    {
        using var watch = new FolderWatch(() => { });
        var missing = Path.Combine(Path.GetTempPath(), "plue-no-such-folder-" + Guid.NewGuid().ToString("N"));

        var failed = watch.WatchOnly([new WatchedFolder(missing, Recursive: false, _ => true)]);

        Assert.Equal(missing, Assert.Single(failed).Dir);
        Assert.NotEmpty(failed[0].Why);
    }
}
