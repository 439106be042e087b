using Microsoft.Extensions.Logging;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Customizations;

/// <summary>
/// The customizations now: the found files, read on first use and again when a file under a root changes (debounced,
/// as the template folders are watched), never on every request; and the Plue records of the customization kinds,
/// read again when one is written (<see cref="CustomizationRecordKind"/>). Records come first and shadow the files
/// they take a name from or were copied from. The user's home is where the sidecar's HOME says.
/// </summary>
public sealed partial class CustomizationRegistry : IDisposable
{
    private readonly WorkspaceContext _workspace;
    private readonly CodexService _codex;
    private readonly ILogger<CustomizationRegistry> _logger;
    private readonly Lock _gate = new();
    private readonly FolderWatch _watch;
    private readonly bool _watching;
    // One re-watch at a time: each clears the watchers and adds them anew.
    private readonly Lock _watchGate = new();
    private readonly FileTextCache _texts = new();
    private IReadOnlyList<CustomizationItem>? _files;
    private Snapshot? _current;
    private HashSet<string>? _startHooks;
    private HashSet<string>? _startServers;
    private HashSet<string>? _startCommands;
    private bool _disposed;

    /// <param name="watch">
    /// Whether the files are watched once read: a window's sidecar does; a command that answers and exits (<c>plue ask</c>)
    /// reads them once and does not.
    /// </param>
    public CustomizationRegistry(WorkspaceContext workspace, CodexService codex, ILogger<CustomizationRegistry> logger, bool watch = true)
    {
        _workspace = workspace;
        _codex = codex;
        _watch = new FolderWatch(Reload);
        _watching = watch;
        _logger = logger;
    }

    /// <summary>
    /// The customizations changed: a file on disk (after the watch's debounce) or a record of a customization kind.
    /// Told as <c>customizations/changed</c>; only once the list was first read (the files are watched from then).
    /// </summary>
    public event Action? Changed;

    /// <summary>The instructions files' texts a turn sends, kept until a file under the watched folders changes (never read again at each turn).</summary>
    public FileTextCache Texts
    {
        get
        {
            Read();
            return _texts;
        }
    }

    /// <summary>
    /// The instructions a chat's turn or a task sends, from this one place: the user's own instructions files (in any
    /// workspace, trusted or not, as the user's records and hooks are), the workspace's instructions files (and the
    /// nearest <c>AGENTS.md</c> and <c>CLAUDE.md</c> above each file in play), then the scoped files and instruction
    /// records that apply to the files in play, or always; a text already sent is not sent again; all within
    /// <see cref="InstructionsFiles.MaxTotalBytes"/>. The registry lists an untrusted workspace's files as ignored, so
    /// only the user's files and instruction records are sent then.
    /// </summary>
    /// <param name="inPlay">Folder-relative or absolute paths of the files in play (a task has none: only what always applies).</param>
    /// <param name="skipped">Told the files left out, each with why.</param>
    /// <param name="why">Told why each scoped file was sent, by its path ("applies to src/a.py", "always applies").</param>
    public IReadOnlyList<InstructionsFile> Instructions(WorkspaceContext workspace, IEnumerable<string> inPlay, ICollection<string>? skipped = null, IDictionary<string, string>? why = null)
    {
        var files = inPlay.ToList();
        var all = new List<InstructionsFile>();
        foreach (var item in Current.Where(i => i.Kind == CustomizationKind.Instructions && i.Scope == CustomizationScope.User && i.Status == CustomizationStatus.Used && i.Layout != CustomizationRecords.Layout))
        {
            try
            {
                Add(all, new InstructionsFile(item.Name, Texts.Read(item.Source, InstructionsFiles.MaxFileBytes)), skipped);
            }
            catch (RegularFileException e)
            {
                skipped?.Add($"{item.Name} was not read: {e.Message}");
            }
        }
        all.AddRange(InstructionsFiles.For(workspace, files, skipped, Texts, all));
        foreach (var (file, reason) in ScopedInstructions.Matching(Scoped, files))
            if (Add(all, file, skipped)) why?.TryAdd(file.Path, reason);
        return all;
    }

    /// <summary>Adds the file unless its text was sent already or it would pass the cap (then it is named in <paramref name="skipped"/>).</summary>
    internal static bool Add(List<InstructionsFile> all, InstructionsFile file, ICollection<string>? skipped)
    {
        if (all.FirstOrDefault(f => InstructionsFiles.SameText(f.Text, file.Text)) is { } same)
        {
            skipped?.Add($"{file.Path} was not sent again: it holds the same text as {same.Path}");
            return false;
        }
        if (all.Sum(f => f.Text.Length) + file.Text.Length > InstructionsFiles.MaxTotalBytes)
        {
            skipped?.Add($"{file.Path} was not read: the instructions already fill {InstructionsFiles.MaxTotalBytes / 1024} KiB");
            return false;
        }
        all.Add(file);
        return true;
    }

    /// <summary>The user's home (HOME on Unix, the profile folder on Windows); null when the system names none.</summary>
    public static string? UserHome => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? home : null;

    /// <summary>Every customization found, in precedence order.</summary>
    public IReadOnlyList<CustomizationItem> Current => Read().Items;

    /// <summary>The used scoped instructions files (applyTo, globs, alwaysApply), read with the list.</summary>
    public IReadOnlyList<ScopedInstruction> Scoped => Read().Scoped;

    /// <summary>The used commands (typed as <c>/name</c>), read with the list.</summary>
    public IReadOnlyList<CustomCommand> Commands => Read().Commands;

    /// <summary>The used agents (chat modes and sub-agents), read with the list.</summary>
    public IReadOnlyList<CustomAgent> Agents => Read().Agents;

    /// <summary>The MCP servers of the MCP files: the used ones as written, the others with why not (never started).</summary>
    public IReadOnlyList<FileMcpServer> McpServers => Read().McpServers;

    /// <summary>The used skills (their names and descriptions; the <c>skill</c> tool reads a body when asked).</summary>
    public IReadOnlyList<Skill> Skills => Read().Skills;

    /// <summary>The used agent hooks (each command of each used matcher group), read with the list.</summary>
    public IReadOnlyList<AgentHook> Hooks => Read().Hooks;

    private Snapshot Read()
    {
        lock (_gate)
        {
            if (_current is not null) return _current;
            if (_files is null)
            {
                var files = CustomizationScanner.Scan(_workspace.Folders, _workspace.Trusted, UserHome);
                _files = files;
                // The hooks as they were when the session began: one that appears or changes later asks first (KnownFromStart).
                _startHooks ??= [.. AgentHooks.Read(files, _workspace.Folders, UserHome).Select(h => h.Fingerprint(HookFolder(h), UserHome))];
                _startServers ??= [.. FileMcpServer.Read(files, _workspace.Folders, UserHome).Where(m => m.Reason is null).Select(ServerFingerprint)];
                _startCommands ??= [.. CustomCommands.Read(files, _workspace.Folders, UserHome).Select(CommandFingerprint)];
                // Not on the caller's path: a recursive watch walks every folder of the workspace (node_modules and .git
                // too, where a folder is a watch on Linux), which took 200 ms of a first turn in a repository with them.
                if (_watching) _ = Task.Run(() => WatchFirst(files));
            }
            _current = Merge(_files);
            return _current;
        }
    }

    /// <summary>The records first, then the files (those the records shadow marked so), and what each consumer takes of them.</summary>
    private Snapshot Merge(IReadOnlyList<CustomizationItem> files)
    {
        var records = CustomizationRecords.Read(_codex);
        var found = CustomizationRecords.Shadow(files, records);
        IReadOnlyList<CustomizationItem> items = [.. records.Select(r => CustomizationRecords.Item(r.Kind, r.Record)), .. found];
        return new Snapshot(items,
            [.. CustomizationRecords.Instructions(records, _workspace.Folders), .. ScopedInstructions.Read(found, _workspace.Folders)],
            [.. CustomizationRecords.Commands(records), .. CustomCommands.Read(found, _workspace.Folders, UserHome)],
            [.. CustomizationRecords.Skills(records), .. Skill.Used(found, _workspace.Folders, UserHome)],
            [.. CustomizationRecords.Agents(records), .. CustomAgents.Read(found, _workspace.Folders, UserHome)],
            FileMcpServer.Read(found, _workspace.Folders, UserHome),
            [.. CustomizationRecords.Hooks(records), .. AgentHooks.Read(found, _workspace.Folders, UserHome)]);
    }

    /// <summary>
    /// Whether <paramref name="hook"/> runs what it ran when the session began (its file, command and the files its
    /// command names unchanged); a Plue record's hook always does. <paramref name="fingerprint"/> names what it runs now.
    /// </summary>
    public bool KnownFromStart(AgentHook hook, out string fingerprint)
    {
        Read();
        fingerprint = hook.Fingerprint(HookFolder(hook), UserHome);
        if (hook.Layout == CustomizationRecords.Layout) return true;
        lock (_gate) return _startHooks?.Contains(fingerprint) == true;
    }

    /// <summary>Whether the MCP file's server <paramref name="server"/> is defined as it was when the session began.</summary>
    public bool KnownFromStart(FileMcpServer server)
    {
        Read();
        lock (_gate) return _startServers?.Contains(ServerFingerprint(server)) == true;
    }

    /// <summary>Whether the command file's <paramref name="command"/> reads as it did when the session began; a Plue record's always does.</summary>
    public bool KnownFromStart(CustomCommand command)
    {
        Read();
        if (command.Layout == CustomizationRecords.Layout) return true;
        lock (_gate) return _startCommands?.Contains(CommandFingerprint(command)) == true;
    }

    private static string CommandFingerprint(CustomCommand command) =>
        $"{command.Source}#{command.Name}#{command.Model}#{command.Mode}#{string.Join(',', command.Tools ?? [])}#{command.Body}";

    private static string ServerFingerprint(FileMcpServer server) => $"{server.Source}#{server.Name}#{server.Definition?.GetRawText()}";

    /// <summary>The folder a hook's command runs in and names its files from.</summary>
    private string HookFolder(AgentHook hook) => hook.Folder ?? _workspace.Folders.FirstOrDefault() ?? UserHome ?? "/";

    /// <summary>Copy to Plue: the found file made into a record (<see cref="CustomizationCopy"/>); the write tells the change.</summary>
    public CodexRecord Copy(CustomizationCopyParams request) => CustomizationCopy.Copy(_codex, Current, request, _workspace.Folders, UserHome);

    /// <summary>A record of a customization kind was written here or by another process: the list is merged again when next read.</summary>
    internal void RecordsChanged()
    {
        bool told;
        lock (_gate)
        {
            told = _files is not null;
            _current = null;
        }
        if (told) Changed?.Invoke();
    }

    private sealed record Snapshot(IReadOnlyList<CustomizationItem> Items, IReadOnlyList<ScopedInstruction> Scoped, IReadOnlyList<CustomCommand> Commands, IReadOnlyList<Skill> Skills, IReadOnlyList<CustomAgent> Agents,
        IReadOnlyList<FileMcpServer> McpServers, IReadOnlyList<AgentHook> Hooks);

    /// <summary>
    /// The first watch, after the first read: a file added, removed or saved between the two brought no event, so the
    /// files are read again once watched, and anything that differs (an item, a file's time or size) is read as a change.
    /// </summary>
    private void WatchFirst(IReadOnlyList<CustomizationItem> read)
    {
        WatchAgain();
        try
        {
            if (Stamps(read).SequenceEqual(Stamps(CustomizationScanner.Scan(_workspace.Folders, _workspace.Trusted, UserHome)))) return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder vanished meanwhile: read as a change.
        }
        Reload();
    }

    private static IEnumerable<(CustomizationItem Item, long Written, long Length)> Stamps(IEnumerable<CustomizationItem> items) =>
        items.Select(i => new FileInfo(i.Source) is { Exists: true } f ? (i, f.LastWriteTimeUtc.Ticks, f.Length) : (i, 0L, 0L));

    /// <summary>The folders watched now: a layout folder made in the home since is watched too; those watched already stay so.</summary>
    private void WatchAgain()
    {
        lock (_watchGate)
            foreach (var (dir, why) in _watch.WatchOnly(Watched())) LogWatchFailed(dir, why);
    }

    /// <summary>
    /// Each workspace folder with its subfolders (nested AGENTS.md count), and in the home only the layouts' folders
    /// (never the whole home) plus the home itself, so a layout folder made later is noticed and watched.
    /// </summary>
    private IEnumerable<WatchedFolder> Watched()
    {
        foreach (var folder in _workspace.Folders.Where(Directory.Exists)) yield return new WatchedFolder(folder, Recursive: true, Relevant);
        if (UserHome is not { } home || !Directory.Exists(home)) yield break;
        // Only the layouts' folders coming and going, not writes to the files beside them (shell histories, the plue home's database).
        yield return new WatchedFolder(home, Recursive: false, change => CustomizationLayouts.HomeFolders.Contains(change.Name ?? "") || change.Name == ".config", EntriesOnly: true);
        foreach (var top in CustomizationLayouts.HomeFolders.Select(f => Path.Combine(home, f.Replace('/', Path.DirectorySeparatorChar))).Where(Directory.Exists))
            yield return new WatchedFolder(top, Recursive: true, _ => true);
    }

    /// <summary>
    /// A change that may touch a layout: a file of one (by its name or a layout folder on its path), or a folder made,
    /// moved or removed (it may hold nested AGENTS.md files); never one inside .git or node_modules, nor a build's
    /// writes to other files, which change all the time.
    /// </summary>
    private static bool Relevant(FileSystemEventArgs change)
    {
        var parts = change.FullPath.Split(Path.DirectorySeparatorChar);
        if (parts.Contains(".git") || parts.Contains("node_modules")) return false;
        return s_layoutNames.Contains(parts[^1]) || parts.Any(s_layoutFolders.Contains)
            || change.ChangeType is WatcherChangeTypes.Deleted or WatcherChangeTypes.Renamed || Directory.Exists(change.FullPath);
    }

    private static readonly HashSet<string> s_layoutNames = [.. CustomizationLayouts.All.Where(l => l.Scope == CustomizationScope.Workspace).Select(l => l.Path.Split('/')[^1])];

    private static readonly HashSet<string> s_layoutFolders = [.. CustomizationLayouts.All.Where(l => l.Scope == CustomizationScope.Workspace && l.Path.Contains('/')).Select(l => l.Path.Split('/')[0])];

    private void Reload()
    {
        _texts.Clear();
        IReadOnlyList<CustomizationItem> files;
        try
        {
            files = CustomizationScanner.Scan(_workspace.Folders, _workspace.Trusted, UserHome);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder vanished mid-read: the next request reads again.
            LogWatchFailed("customizations", e.Message);
            lock (_gate)
            {
                _files = null;
                _current = null;
            }
            return;
        }
        lock (_gate)
        {
            if (_disposed) return;
            _files = files;
            _current = null;
        }
        WatchAgain();
        LogReloaded(files.Count, files.Count(i => i.Status == CustomizationStatus.Ignored));
        Changed?.Invoke();
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _watch.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Customizations read again: {Count} found, {Ignored} ignored")]
    private partial void LogReloaded(int count, int ignored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot watch {Dir} for customization changes: {Reason}")]
    private partial void LogWatchFailed(string dir, string reason);
}
