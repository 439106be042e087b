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
    private readonly List<FileSystemWatcher> _watchers = [];
    private Timer? _timer;
    private bool _disposed;

    /// <summary>
    /// Watches <paramref name="dir"/> (with its subfolders when <paramref name="recursive"/>); a change that
    /// <paramref name="relevant"/> takes brings the call. With <paramref name="entriesOnly"/> only entries made, removed
    /// or renamed are told, not writes to files: a folder waited on for a subfolder to appear may hold busy files (the
    /// plue home's database is written all through a streamed answer), and each write would wake the watch.
    /// False, with why, where the folder cannot be watched.
    /// </summary>
    public bool TryAdd(string dir, bool recursive, Func<FileSystemEventArgs, bool> relevant, out string why, bool entriesOnly = false)
    {
        why = "";
        try
        {
            var watcher = new FileSystemWatcher(dir)
            {
                IncludeSubdirectories = recursive,
                NotifyFilter = entriesOnly ? NotifyFilters.FileName | NotifyFilters.DirectoryName : NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.DirectoryName | NotifyFilters.Size,
            };
            FileSystemEventHandler onChange = (_, e) => { if (relevant(e)) Schedule(); };
            watcher.Changed += onChange;
            watcher.Created += onChange;
            watcher.Deleted += onChange;
            watcher.Renamed += (sender, e) => onChange(sender, e);
            watcher.EnableRaisingEvents = true;
            lock (_gate)
            {
                if (_disposed) watcher.Dispose();
                else _watchers.Add(watcher);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            why = e.Message;
            return false;
        }
    }

    /// <summary>Stops watching every folder, to watch another set; a change already seen still brings its call.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers) watcher.Dispose();
            _watchers.Clear();
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
            foreach (var watcher in _watchers) watcher.Dispose();
            _watchers.Clear();
        }
        _timer?.Dispose();
    }
}
