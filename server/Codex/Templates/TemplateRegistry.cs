using Microsoft.Extensions.Logging;
using Plue.Codex.Content;
using Plue.Workspace;

namespace Plue.Codex.Templates;

/// <summary>
/// Loads templates from every content root, lazily on first use, and again when a
/// file changes (debounced), then tells listeners. A broken file is reported and
/// skipped; an override that breaks falls back to the template it overrode.
/// </summary>
public sealed partial class TemplateRegistry : IDisposable
{
    private const int MaxFileBytes = 1024 * 1024;

    private readonly ContentRoots _roots;
    private readonly ILogger<TemplateRegistry> _logger;
    private readonly Lock _gate = new();
    private readonly FolderWatch _watch;
    private readonly Lock _watchGate = new();
    private TemplateSet? _current;
    private bool _disposed;

    public TemplateRegistry(ContentRoots roots, ILogger<TemplateRegistry> logger)
    {
        _roots = roots;
        _logger = logger;
        _watch = new FolderWatch(Reload);
    }

    /// <summary>Raised after a reload that followed a file change.</summary>
    public event Action<TemplateSet>? Changed;

    public TemplateSet Current
    {
        get
        {
            lock (_gate)
            {
                if (_current is not null) return _current;
                _current = Load();
                Watch();
                return _current;
            }
        }
    }

    /// <summary>Whether the templates are read (the window's sidecar reads them beside its start).</summary>
    public bool IsRead
    {
        get
        {
            lock (_gate) return _current is not null;
        }
    }

    public TemplateDefinition? Find(string id) => Current.Templates.GetValueOrDefault(id);

    /// <summary>Reads every root now; used at start and after changes.</summary>
    public TemplateSet Load()
    {
        var set = Read(edited: null);
        foreach (var problem in set.Files.SelectMany(f => f.Problems)) LogProblem(problem.ToString());
        foreach (var broken in set.Files.Where(f => f.Problems.Any(p => !p.IsWarning)))
        {
            // Never a silent replacement: say which file is used instead, or that none is.
            if (set.Templates.GetValueOrDefault(broken.Id) is { } used) LogUsedInstead(broken.Id, broken.Path, used.Source, used.FilePath);
            else LogNoneUsable(broken.Id, broken.Path);
        }
        return set;
    }

    /// <summary>
    /// What loading would report if <paramref name="path"/> held <paramref name="text"/> (an editor's unsaved
    /// buffer): the problems in that file and in the templates that inherit from it. Nothing is loaded.
    /// </summary>
    public (IReadOnlyList<TemplateProblem> Problems, string? Id) Validate(string path, string text)
    {
        var full = System.IO.Path.GetFullPath(path);
        // The loader reads no file over its limit: a text over it would not load, whatever it holds.
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxFileBytes)
            return ([new TemplateProblem(full, 1, 1, $"not read: it is larger than {MaxFileBytes / 1024} KiB; split it, or move long text into a prompt file")], null);
        var set = Read((full, text));
        var file = set.Files.FirstOrDefault(f => f.Path == full);
        if (file is null)
        {
            // Not in a templates folder: checked on its own, against the templates loaded now.
            var (raw, problems) = TemplateFileParser.Parse(full, text, "home");
            if (raw is null) return (problems, null);
            var raws = Current.Files.Where(f => f.Active && f.Raw is not null).ToDictionary(f => f.Id, f => f.Raw!, StringComparer.Ordinal);
            raws[raw.Id] = raw;
            var (templates, resolveProblems) = TemplateResolver.Resolve(raws);
            return ([.. problems, .. resolveProblems.Where(p => p.File == full)], templates.ContainsKey(raw.Id) ? raw.Id : null);
        }
        var mine = file.Problems.ToList();
        // A child that breaks because of this edit is reported here too, at the top of this file.
        foreach (var heir in set.Files.Where(f => f.Path != full && f.Active && f.Raw?.ParentTemplate == file.Id && !set.Templates.ContainsKey(f.Id)))
            mine.AddRange(heir.Problems.Where(p => !p.IsWarning).Select(p => p with { File = full, Line = 1, Column = 1, Message = $"{System.IO.Path.GetFileName(heir.Path)} inherits from this template and breaks: {p.Message}" }));
        return (mine, set.Templates.TryGetValue(file.Id, out var t) && t.FilePath == full ? file.Id : null);
    }

    private TemplateSet Read((string Path, string Text)? edited)
    {
        var files = new List<TemplateFile>();
        var active = new Dictionary<string, RawTemplate>(StringComparer.Ordinal);
        var activeFile = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var root in _roots.For("templates"))
        {
            if (!Directory.Exists(root.Directory)) continue;
            var paths = Directory.EnumerateFiles(root.Directory, "*.json5").Select(System.IO.Path.GetFullPath).ToList();
            if (edited is { } e && System.IO.Path.GetDirectoryName(e.Path) == System.IO.Path.GetFullPath(root.Directory).TrimEnd(System.IO.Path.DirectorySeparatorChar)
                && e.Path.EndsWith(".json5", StringComparison.Ordinal) && !paths.Contains(e.Path))
                paths.Add(e.Path);
            foreach (var path in paths.Order(StringComparer.Ordinal))
            {
                var (raw, problems) = edited is { } ed && ed.Path == path ? TemplateFileParser.Parse(path, ed.Text, root.Source) : ReadFile(root.Directory, path, root.Source);
                var id = raw?.Id ?? System.IO.Path.GetFileNameWithoutExtension(path);
                files.Add(new TemplateFile(id, root.Source, path, raw, problems, Active: false));
                if (raw is null) continue;
                // An override without its own collection keeps the one it replaces: the records and the
                // codex:// references to them (codex://providers/<slug>) stay where they are.
                if (raw.Collection is null && active.GetValueOrDefault(id)?.Collection is { } inherited) raw = raw with { Collection = inherited };
                active[id] = raw;
                activeFile[id] = files.Count - 1;
            }
        }

        var (templates, resolveProblems) = TemplateResolver.Resolve(active);
        foreach (var (id, index) in activeFile)
        {
            var mine = resolveProblems.Where(p => p.File == files[index].Path).ToList();
            files[index] = files[index] with { Active = true, Problems = [.. files[index].Problems, .. mine] };
        }
        return new TemplateSet(templates, files);
    }

    private static (RawTemplate?, IReadOnlyList<TemplateProblem>) ReadFile(string root, string path, string source)
    {
        try
        {
            return TemplateFileParser.Parse(path, ContentFile.Read(root, System.IO.Path.GetFileName(path), MaxFileBytes), source);
        }
        catch (ContentFileException e)
        {
            return (null, [new TemplateProblem(path, 1, 1, $"not read: {e.Message}")]);
        }
    }

    /// <summary>
    /// Each templates folder that exists, or else the nearest folder above it for the next folder on its way to be
    /// made (only entries, not writes: the plue home holds the database, a workspace its builds), never a whole tree.
    /// </summary>
    private void Watch()
    {
        List<WatchedFolder> watched = [];
        foreach (var root in _roots.For("templates").Where(r => r.Source != "shipped"))
        {
            var target = root.Directory;
            var dir = target;
            while (!Directory.Exists(dir) && System.IO.Path.GetDirectoryName(dir) is { } up && up != dir) dir = up;
            if (!Directory.Exists(dir)) continue;
            var waiting = dir != target;
            watched.Add(new WatchedFolder(dir, Recursive: false, e => !waiting || OnTheWay(e.FullPath, target), EntriesOnly: waiting, Purpose: target));
        }
        lock (_watchGate)
            foreach (var (dir, why) in _watch.WatchOnly(watched)) LogWatchFailed(dir, why);
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="target"/> or a folder on its way.</summary>
    private static bool OnTheWay(string path, string target) =>
        path == target || target.StartsWith(path + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private void Reload()
    {
        TemplateSet set;
        try
        {
            set = Load();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder vanished or is unreadable mid-reload: keep the last good set; the next change retries.
            LogWatchFailed("templates", e.Message);
            return;
        }
        lock (_gate)
        {
            if (_disposed) return;
            _current = set;
        }
        // A folder on the way made (or a templates folder removed): watch what is there now.
        Watch();
        LogReloaded(set.Templates.Count, set.Files.Count(f => f.Problems.Any(p => !p.IsWarning)));
        Changed?.Invoke(set);
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _watch.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Template problem: {Problem}")]
    private partial void LogProblem(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Template '{Id}' in {File} cannot be used; the {Source} one from {UsedFile} is used instead")]
    private partial void LogUsedInstead(string id, string file, string source, string usedFile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Template '{Id}' in {File} cannot be used, and no other file defines it: records of it cannot be written until it is fixed")]
    private partial void LogNoneUsable(string id, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Templates reloaded: {Count} usable, {Broken} file(s) with errors")]
    private partial void LogReloaded(int count, int broken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot watch {Dir} for template changes: {Reason}")]
    private partial void LogWatchFailed(string dir, string reason);
}
