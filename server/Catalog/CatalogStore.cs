using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plue.Codex.Content;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Catalog;

/// <summary>
/// The provider catalog: the shipped files beside the sidecar plus the user's files in <c>$PLUE_HOME/catalog</c>,
/// which add providers or override shipped ones by id. Loaded on first use, not at start-up (the sidecar's cold
/// start is on the user's critical path). A broken user file is reported with its path and reason, and skipped.
/// Changes are made by <c>catalog</c> records (<see cref="CatalogKind"/>), written atomically (0600) and seen at once;
/// a catalog record another process changed reloads the files (<see cref="Reload"/>); a user file added, changed or
/// removed by hand is seen the next time the whole catalog is asked for (<see cref="List"/>: Add Provider Instance), not
/// on each lookup by id, which chats and turns make often. The shipped files never change while the sidecar runs: they
/// are read once, and may be read early (<see cref="ReadShippedFiles"/>) without the user's files being read before
/// their first use.
/// </summary>
public sealed partial class CatalogStore(string shippedDir, Func<string> userDir, ILogger<CatalogStore> logger)
{
    private const UnixFileMode PrivateDir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly Lock _gate = new();
    private Snapshot? _snapshot;
    private readonly Lazy<ShippedFiles> _shipped = new(() => ReadShipped(shippedDir));

    /// <summary>The shipped catalog's folder for this process: <c>catalog/</c> beside the sidecar's assembly.</summary>
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "catalog");

    /// <summary>
    /// Every provider, sorted by id; a user override stands in for the shipped provider it replaces. The user's folder is
    /// looked at first (a stat of each file): one changed by hand since the load has the user's files read again.
    /// </summary>
    public IReadOnlyList<CatalogEntry> List()
    {
        if (Volatile.Read(ref _snapshot) is { } loaded && loaded.UserFiles != UserFilesStamp(loaded.UserDir)) Reload();
        return Current.Sorted;
    }

    public CatalogEntry? Find(string id) => Current.ById.GetValueOrDefault(id);

    /// <summary>Files that could not be loaded: "path: reason", one each.</summary>
    public IReadOnlyList<string> Problems => [.. Current.Problems.Select(p => $"{p.File}: {p.Message}")];

    /// <summary>Files that could not be loaded, each where its problem is (line 1 when the file's text is not to blame).</summary>
    public IReadOnlyList<TemplateDiagnostic> FileProblems => Current.Problems;

    /// <summary>How long the first load took (zero until something asked for the catalog).</summary>
    public TimeSpan LoadTime { get; private set; }

    /// <summary>
    /// Deletes a user file (backed up first). A deleted override brings the shipped provider back (returned); a shipped
    /// provider itself cannot be deleted. Throws <see cref="KeyNotFoundException"/> when the id is unknown.
    /// </summary>
    public CatalogEntry? Delete(string id)
    {
        lock (_gate)
        {
            var current = Current;
            if (!current.ById.TryGetValue(id, out var existing)) throw new KeyNotFoundException(id);
            if (existing.Origin == CatalogOrigin.Shipped)
                throw new CatalogProblemsException([$"id: '{id}' is a shipped provider and cannot be deleted (only a user override of it can)"]);
            KeepBackup(existing.Path);
            File.Delete(existing.Path);
            var byId = new Dictionary<string, CatalogEntry>(current.ById, StringComparer.Ordinal);
            current.Shipped.TryGetValue(id, out var shipped);
            if (shipped is null) byId.Remove(id);
            else byId[id] = shipped;
            Volatile.Write(ref _snapshot, current with { ById = byId, Sorted = Sort(byId), UserFiles = UserFilesStamp(current.UserDir) });
            LogChanged("deleted", id, existing.Path);
            return shipped;
        }
    }

    /// <summary>
    /// Writes a provider a <c>catalog</c> record stands for (its kind checked it first), adding it or replacing any
    /// user file of that id, the file before it backed up.
    /// </summary>
    public CatalogEntry Put(CatalogProvider provider)
    {
        lock (_gate)
        {
            var current = Current;
            var path = current.ById.TryGetValue(provider.Id, out var existing) && existing.Origin == CatalogOrigin.User
                ? existing.Path : Path.Combine(UserDirectory(), provider.Id + ".json");
            return Save(current, provider, path);
        }
    }

    /// <summary>Deletes the user file of this id, if there is one (backed up first); a shipped provider it overrode comes back.</summary>
    public void Remove(string id)
    {
        if (Find(id) is { Origin: CatalogOrigin.User }) Delete(id);
    }

    /// <summary>
    /// Reads the shipped files' headers now, if they are not read yet (the window's sidecar does so beside its start, so
    /// that a chat's first request finds them read). The user's files are still read at the catalog's first use.
    /// </summary>
    public void ReadShippedFiles() => _ = _shipped.Value;

    /// <summary>Whether the shipped files are read.</summary>
    public bool ShippedFilesRead => _shipped.IsValueCreated;

    /// <summary>Forgets what was loaded, so the next use reads the user's files again (another process changed them).</summary>
    public void Reload()
    {
        lock (_gate) Volatile.Write(ref _snapshot, null);
    }

    private Snapshot Current => Volatile.Read(ref _snapshot) ?? LoadOnce();

    private Snapshot LoadOnce()
    {
        lock (_gate)
        {
            if (_snapshot is { } loaded) return loaded;
            var clock = Stopwatch.StartNew();
            var (shipped, shippedProblems) = _shipped.Value;
            var problems = new List<TemplateDiagnostic>(shippedProblems);
            var byId = new Dictionary<string, CatalogEntry>(shipped, StringComparer.Ordinal);
            var userIds = new HashSet<string>(StringComparer.Ordinal);
            var dir = userDir();
            // Taken before the files are read: a file written while they are read is read again at the next List.
            var stamp = UserFilesStamp(dir);
            foreach (var entry in ReadUserFiles(dir, problems))
            {
                if (!userIds.Add(entry.Id))
                {
                    problems.Add(Problem(entry.Path, $"id '{entry.Id}' is already defined by another user file; this one is skipped"));
                    continue;
                }
                byId[entry.Id] = entry;
            }
            foreach (var problem in problems) LogBrokenFile($"{problem.File}: {problem.Message}");
            var snapshot = new Snapshot(shipped, byId, Sort(byId), problems, dir, stamp);
            LoadTime = clock.Elapsed;
            LogLoaded(byId.Count, userIds.Count, LoadTime.TotalMilliseconds);
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
    }

    /// <summary>
    /// Shipped files are generated by the importer and checked by its tests, so only their headers are read
    /// here (see <see cref="CatalogFileHeader"/>); their models are parsed when first asked for.
    /// </summary>
    private static ShippedFiles ReadShipped(string dir)
    {
        var shipped = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        var problems = new List<TemplateDiagnostic>();
        foreach (var path in JsonFiles(dir))
        {
            CatalogEntry? entry = null;
            try
            {
                entry = CatalogFileHeader.Read(CatalogFiles.ReadShipped(path).Span, path);
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                problems.Add(Problem(path, e));
            }
            catch (RegularFileException e)
            {
                problems.Add(Problem(path, $"not read: {e.Message}"));
            }
            if (entry is not null) shipped.TryAdd(entry.Id, entry);
        }
        return new ShippedFiles(shipped, problems);
    }

    private sealed record ShippedFiles(Dictionary<string, CatalogEntry> ById, IReadOnlyList<TemplateDiagnostic> Problems);

    /// <summary>User files are read whole and validated: a broken one is reported and skipped.</summary>
    private static IEnumerable<CatalogEntry> ReadUserFiles(string dir, List<TemplateDiagnostic> problems)
    {
        foreach (var path in JsonFiles(dir))
        {
            if (ReadUserFile(path, problems) is { } entry) yield return entry;
        }
    }

    /// <summary>The user's files as the folder lists them: each one's name, size and time of its last write.</summary>
    private static string UserFilesStamp(string dir)
    {
        var stamp = new System.Text.StringBuilder();
        foreach (var path in JsonFiles(dir))
        {
            var file = new FileInfo(path);
            if (file.Exists) stamp.Append(file.Name).Append('\0').Append(file.Length).Append('\0').Append(file.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return stamp.ToString();
    }

    private static IEnumerable<string> JsonFiles(string dir) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal) : [];

    private static CatalogEntry? ReadUserFile(string path, List<TemplateDiagnostic> problems)
    {
        CatalogProvider provider;
        try
        {
            // Through the bounded reader: a FIFO here would hang every catalog call, /dev/zero would never end.
            var bytes = ContentFile.ReadBytes(Path.GetDirectoryName(path)!, Path.GetFileName(path), CatalogFiles.MaxBytes);
            provider = CatalogFileFormats.Read(bytes.Span, Path.GetFileName(path));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            problems.Add(Problem(path, e));
            return null;
        }
        catch (ContentFileException e)
        {
            problems.Add(Problem(path, $"not read: {e.Message}"));
            return null;
        }
        var invalid = CatalogValidator.Validate(provider);
        if (invalid.Count > 0)
        {
            problems.Add(Problem(path, string.Join("; ", invalid)));
            return null;
        }
        return new CatalogEntry(Complete(provider), CatalogOrigin.User, path);
    }

    /// <summary>Fills what a hand-written file may leave out, so the wire shape of every model is the same.</summary>
    private static CatalogProvider Complete(CatalogProvider provider) => provider with
    {
        Models = [.. provider.Models.Select(m => m with
        {
            Prices = m.Prices ?? ModelPrices.Unknown,
            CanReason = m.CanReason ?? false,
            ReasoningLevels = m.ReasoningLevels ?? [],
            SupportsAttachments = m.SupportsAttachments ?? false,
        })],
    };

    private CatalogEntry Save(Snapshot current, CatalogProvider provider, string path)
    {
        var stored = Complete(provider) with { Source = provider.Source ?? "user" };
        KeepBackup(path);
        CatalogFiles.WriteAtomic(path, stored);
        var entry = new CatalogEntry(stored, CatalogOrigin.User, path);
        var byId = new Dictionary<string, CatalogEntry>(current.ById, StringComparer.Ordinal) { [entry.Id] = entry };
        // A broken file written over is no longer a problem.
        Volatile.Write(ref _snapshot, current with
        {
            ById = byId, Sorted = Sort(byId), Problems = [.. current.Problems.Where(p => p.File != path)], UserFiles = UserFilesStamp(current.UserDir),
        });
        LogChanged("saved", entry.Id, path);
        return entry;
    }

    /// <summary>Backs the file up; a backup that cannot be kept is said in the log and does not stop the change.</summary>
    private void KeepBackup(string path)
    {
        try
        {
            CatalogBackups.Keep(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogBackupSkipped(path, e.Message);
        }
    }

    private string UserDirectory()
    {
        var dir = userDir();
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
        else Directory.CreateDirectory(dir, PrivateDir);
        return dir;
    }

    private static TemplateDiagnostic Problem(string path, Exception e) => e is JsonException { LineNumber: { } line } json
        ? Problem(path, JsonErrorWords.Words(json), (int)line + 1, (int)(json.BytePositionInLine ?? 0) + 1)
        : Problem(path, e.Message);

    private static TemplateDiagnostic Problem(string path, string message, int line = 1, int column = 1) =>
        new() { File = path, Line = line, Column = column, Severity = "error", Message = message };

    private static IReadOnlyList<CatalogEntry> Sort(Dictionary<string, CatalogEntry> byId) =>
        [.. byId.Values.OrderBy(e => e.Id, StringComparer.Ordinal)];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog file skipped: {Problem}")]
    private partial void LogBrokenFile(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog backup of {Path} not kept: {Reason}")]
    private partial void LogBackupSkipped(string path, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Catalog loaded: {Providers} providers ({UserFiles} from user files) in {Ms:F1} ms")]
    private partial void LogLoaded(int providers, int userFiles, double ms);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog provider {Id} {Change} ({Path})")]
    private partial void LogChanged(string change, string id, string path);

    private sealed record Snapshot(
        IReadOnlyDictionary<string, CatalogEntry> Shipped,
        IReadOnlyDictionary<string, CatalogEntry> ById,
        IReadOnlyList<CatalogEntry> Sorted,
        IReadOnlyList<TemplateDiagnostic> Problems,
        string UserDir,
        string UserFiles);
}
