using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Vault;
using Plue.Workspace;

namespace Plue.Agents.Tools.Approvals;

/// <summary>
/// The "allow always in this workspace" answers, in <c>$PLUE_HOME/permissions.json</c> (0600): a small file rather
/// than codex records, because they are settings of the user's machine that no template describes and that
/// nobody edits as records; <c>permissions/list</c> and <c>permissions/reset</c> show and clear them. A workspace is
/// its exact set of folders. The file is read on every question, so another window's answer counts at once.
/// </summary>
public sealed partial class WorkspacePermissionStore(Func<string> home, ILogger<WorkspacePermissionStore> logger)
{
    public const string FileName = "permissions.json";
    private const int FormatVersion = 1;
    private const int MaxFileBytes = 4 * 1024 * 1024;
    private readonly Lock _lock = new();

    public string FilePath => Path.Combine(home(), FileName);

    /// <summary>Full paths without a trailing separator, sorted and distinct: how a workspace is recognised.</summary>
    public static List<string> Key(IEnumerable<string> folders) =>
        [.. folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public bool IsAllowed(IReadOnlyList<string> folders, string tool)
    {
        if (folders.Count == 0) return false;
        var key = Key(folders);
        lock (_lock) return Find(Load(), key)?.Tools.Contains(tool) ?? false;
    }

    public void Allow(IReadOnlyList<string> folders, string tool)
    {
        if (folders.Count == 0) throw new InvalidOperationException("A workspace allowance needs at least one folder.");
        var key = Key(folders);
        lock (_lock)
        {
            var entries = Load();
            var entry = Find(entries, key);
            if (entry is null) entries.Add(entry = new PermissionsFileEntry { Folders = key, Tools = [] });
            if (entry.Tools.Contains(tool)) return;
            entry.Tools.Add(tool);
            entry.Tools.Sort(StringComparer.Ordinal);
            Save(entries);
        }
    }

    /// <summary>Forgets <paramref name="tool"/> (or every tool, when null) for the workspace; returns how many were forgotten.</summary>
    public int Reset(IReadOnlyList<string> folders, string? tool)
    {
        var key = Key(folders);
        lock (_lock)
        {
            var entries = Load();
            if (Find(entries, key) is not { } entry) return 0;
            var removed = tool is null ? entry.Tools.Count : entry.Tools.RemoveAll(t => t == tool);
            if (tool is null || entry.Tools.Count == 0) entries.Remove(entry);
            if (removed > 0) Save(entries);
            return removed;
        }
    }

    public IReadOnlyList<WorkspacePermissions> List(IReadOnlyList<string> current)
    {
        var currentKey = Key(current);
        lock (_lock)
            return [.. Load().Select(e => new WorkspacePermissions { Folders = e.Folders, Tools = e.Tools, Current = e.Folders.SequenceEqual(currentKey) })];
    }

    private static PermissionsFileEntry? Find(List<PermissionsFileEntry> entries, List<string> key) =>
        entries.FirstOrDefault(e => e.Folders.SequenceEqual(key));

    private List<PermissionsFileEntry> Load()
    {
        var path = FilePath;
        if (!File.Exists(path)) return [];
        try
        {
            var file = Parse(path);
            return [.. (file?.Workspaces ?? []).Where(e => e.Folders is { Count: > 0 } && e.Tools is not null)];
        }
        catch (Exception e) when (e is JsonException or RegularFileException)
        {
            // Unreadable: nothing counts as allowed (the user is asked again), and the next save keeps the old file aside.
            LogUnreadable(path, e.Message);
            return [];
        }
    }

    private void Save(List<PermissionsFileEntry> entries)
    {
        var path = FilePath;
        if (File.Exists(path) && !IsReadable(path)) File.Move(path, $"{path}.unreadable-{DateTime.UtcNow:yyyyMMddHHmmss}", overwrite: true);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new PermissionsFile { Version = FormatVersion, Workspaces = entries },
            PermissionsFileJsonContext.Default.PermissionsFile);
        AtomicFile.Write(path, bytes);
    }

    // Bounded like every file read from the home: a FIFO put in its place must not hang the approvals.
    private static PermissionsFile? Parse(string path) =>
        JsonSerializer.Deserialize(RegularFile.ReadBytes(path, MaxFileBytes).Span, PermissionsFileJsonContext.Default.PermissionsFile);

    private static bool IsReadable(string path)
    {
        try
        {
            Parse(path);
            return true;
        }
        catch (Exception e) when (e is JsonException or RegularFileException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} is not readable ({Reason}); allow-always answers in it are ignored until it is fixed or reset")]
    private partial void LogUnreadable(string path, string reason);
}
