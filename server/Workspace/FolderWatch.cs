using System.Text;

namespace Plue.Workspace;

/// <summary>
/// Folders watched for files added, changed, removed or renamed, and one call shortly after the last change that
/// matters (an editor's save writes a file several times): the template folders and the agent setups are read again
/// on it, never on every request.
/// </summary>
public sealed class FolderWatch(Action changed) : IDisposable
{
    private static readonly TimeSpan s_debounce = TimeSpan.FromMilliseconds(150);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (FileSystemWatcher Watcher, (ulong Inode, long Born, uint BornNs)? Folder)> _watchers = new(StringComparer.Ordinal);
    private Timer? _timer;
    private bool _disposed;

    /// <summary>
    /// Watches exactly <paramref name="folders"/>: one already watched the same way stays watched (a change to it
    /// while the others are set up is not missed: a recursive watch of a large workspace takes a while to set up
    /// again), unless its folder was deleted and made again since (Linux watches the folder, not its path: the old
    /// watch went with it); the others stop, the new ones start. Returns those that cannot be watched, with why.
    /// </summary>
    public IReadOnlyList<(string Dir, string Why)> WatchOnly(IEnumerable<WatchedFolder> folders)
    {
        var wanted = folders.DistinctBy(f => f.Identity).ToList();
        var keep = wanted.Where(f => IsWatching(f)).Select(f => f.Identity).ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var gone in _watchers.Keys.Where(k => !keep.Contains(k)).ToList())
            {
                _watchers[gone].Watcher.Dispose();
                _watchers.Remove(gone);
            }
        }
        List<(string, string)> failed = [];
        foreach (var folder in wanted)
        {
            lock (_gate)
                if (_disposed || _watchers.ContainsKey(folder.Identity)) continue;
            // Read before the watch starts: a folder replaced meanwhile then reads as another at the next call.
            var identity = FolderIdentity(folder.Dir);
            if (Start(folder, out var why) is not { } watcher)
            {
                failed.Add((folder.Dir, why));
                continue;
            }
            lock (_gate)
            {
                if (_disposed || !_watchers.TryAdd(folder.Identity, (watcher, identity))) watcher.Dispose();
            }
        }
        return failed;
    }

    /// <summary>Whether the folder is watched, and is still the folder its watch started on.</summary>
    private bool IsWatching(WatchedFolder folder)
    {
        (ulong Inode, long Born, uint BornNs)? startedOn;
        lock (_gate)
        {
            if (!_watchers.TryGetValue(folder.Identity, out var watched)) return false;
            startedOn = watched.Folder;
        }
        return startedOn == FolderIdentity(folder.Dir);
    }

    /// <summary>
    /// Which folder is at <paramref name="dir"/> on Linux (links followed): its inode and when it was made, to the
    /// nanosecond (a folder deleted and made again at once gets the same inode back); null elsewhere, or when it cannot be read.
    /// </summary>
    private static (ulong Inode, long Born, uint BornNs)? FolderIdentity(string dir)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var status = new byte[256];
        if (RegularFile.Native.Statx(RegularFile.Native.CurrentFolder, Encoding.UTF8.GetBytes(dir + "\0"), 0, RegularFile.Native.StatxInoAndBirth, status) != 0) return null;
        // struct statx: stx_mask is the u32 at offset 0, stx_ino the u64 at 32, stx_btime's seconds and nanoseconds at 80 and 88.
        var born = (BitConverter.ToUInt32(status, 0) & RegularFile.Native.StatxBirth) != 0;
        return (BitConverter.ToUInt64(status, 32), born ? BitConverter.ToInt64(status, 80) : 0, born ? BitConverter.ToUInt32(status, 88) : 0);
    }

    /// <summary>A watcher of <paramref name="folder"/>, raising its events; null, with why, where it cannot be watched.</summary>
    private FileSystemWatcher? Start(WatchedFolder folder, out string why)
    {
        why = "";
        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(folder.Dir)
            {
                IncludeSubdirectories = folder.Recursive,
                NotifyFilter = folder.EntriesOnly ? NotifyFilters.FileName | NotifyFilters.DirectoryName : NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.DirectoryName | NotifyFilters.Size,
            };
            var relevant = folder.Relevant;
            FileSystemEventHandler onChange = (_, e) => { if (relevant(e)) Schedule(); };
            watcher.Changed += onChange;
            watcher.Created += onChange;
            watcher.Deleted += onChange;
            watcher.Renamed += (sender, e) => onChange(sender, e);
            // Events lost (the kernel's queue overflowed, a watch limit reached): the folder is read again, and the next
            // WatchOnly starts it afresh.
            watcher.Error += (_, _) =>
            {
                lock (_gate)
                    if (_watchers.TryGetValue(folder.Identity, out var current) && current.Watcher == watcher) _watchers.Remove(folder.Identity);
                _ = Task.Run(watcher.Dispose); // not on the watcher's own thread
                Schedule();
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            watcher?.Dispose();
            why = e.Message;
            return null;
        }
    }

    private void Schedule()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _timer ??= new Timer(_ => changed());
            _timer.Change(s_debounce, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var (watcher, _) in _watchers.Values) watcher.Dispose();
            _watchers.Clear();
        }
        _timer?.Dispose();
    }
}

/// <summary>
/// A folder to watch (<see cref="FolderWatch.WatchOnly"/>): with its subfolders when <paramref name="Recursive"/>; a change
/// <paramref name="Relevant"/> takes brings the call. With <paramref name="EntriesOnly"/> only entries made, removed or
/// renamed are told, not writes to files: a folder waited on for a subfolder to appear may hold busy files (the plue
/// home's database is written all through a streamed answer), and each write would wake the watch. Two are the same
/// watch when their folder, flags and <paramref name="Purpose"/> (what <paramref name="Relevant"/> looks for) are.
/// </summary>
public sealed record WatchedFolder(string Dir, bool Recursive, Func<FileSystemEventArgs, bool> Relevant, bool EntriesOnly = false, string Purpose = "")
{
    internal string Identity => $"{Dir}\0{Recursive}\0{EntriesOnly}\0{Purpose}";
}
