using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Checkpoints;

/// <summary>
/// Git worktrees that let a writing task work beside others without touching the folder they share. Each is made
/// under the home (<c>$PLUE_HOME/worktrees/&lt;task&gt;/tree</c>, never inside the user's tree) from the source
/// folder's HEAD, detached, plus the source's uncommitted state (tracked changes, staged or not, and untracked files
/// that are not ignored), so the task sees what its parent sees. Its changes go back to the source as a patch applied
/// with <c>git apply --3way</c> through an index of its own (the user's index is never touched): a region both sides
/// changed is left as conflict markers. The worktree is removed once its changes are applied or discarded, or when a
/// run ends with none. Operations on one task's worktree take turns (<see cref="SerialAsync"/>): each stages the
/// worktree into its one index, and two gits at once collide on its <c>index.lock</c>. Making, removing and pruning
/// worktrees take turns across all tasks (<see cref="AdministeredAsync"/>).
/// </summary>
public sealed partial class TaskWorktrees(WorkspaceContext session, ILogger<TaskWorktrees> logger, Sandbox.ITaskSandboxes? sandboxes = null)
{
    private const string Record = "worktree.json";
    private const int MaxRecordBytes = 16 * 1024 * 1024;
    private const int MaxPatchChars = 400_000;
    private const int MaxConflictBytes = 1_000_000;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    // git's worktree add, remove and prune each read the notes of every worktree of the repository (.git/worktrees/*):
    // one made or pruned by a sibling at that moment is read half-written ("failed to read .git/worktrees/tree3/commondir")
    // and the add fails, or a prune takes a half-made one for gone. One at a time here, for every repository (a task's
    // worktree of its parent's worktree shares the parent repository's notes); each takes well under a second.
    private readonly SemaphoreSlim _administration = new(1, 1);

    private string Root => Path.Combine(session.Home, "worktrees");

    /// <summary>Why no worktree can be made of <paramref name="source"/>; null when one can.</summary>
    public async Task<string?> ObstacleAsync(string source, CancellationToken cancellationToken)
    {
        if (!GitProcess.Available) return "git is not on PATH";
        if ((await GitProcess.TryRunAsync(source, ["rev-parse", "--show-toplevel"], cancellationToken).ConfigureAwait(false)).Exit != 0)
            return $"{source} is not in a git repository";
        if ((await GitProcess.TryRunAsync(source, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cancellationToken).ConfigureAwait(false)).Exit != 0)
            return $"the git repository of {source} has no commit yet";
        return null;
    }

    /// <summary>The task's worktree; null when it has none.</summary>
    public TaskWorktree? Find(string taskId)
    {
        var path = Path.Combine(FolderOf(taskId), Record);
        if (!File.Exists(path)) return null;
        try
        {
            // Bounded like every file read from the home: a FIFO put in its place must not hang the task views.
            return JsonSerializer.Deserialize(RegularFile.ReadBytes(path, MaxRecordBytes).Span, CheckpointJsonContext.Default.TaskWorktree);
        }
        catch (Exception e) when (e is JsonException or RegularFileException)
        {
            return null; // cut short by a crash while it was made: recovery removes it
        }
    }

    /// <summary>The files a finished run left for review; null while it runs or when it has none.</summary>
    public static IReadOnlyList<CheckpointFile>? Pending(TaskWorktree worktree) => worktree.Changes is { } changes ? [.. changes.Select(c => ToFile(worktree, c))] : null;

    /// <summary>The tasks that have a folder here, made whole or not.</summary>
    public IReadOnlyList<string> Tasks() =>
        Directory.Exists(Root) ? [.. Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()] : [];

    /// <summary>Makes the task's worktree of <paramref name="source"/> (see the class); <see cref="ObstacleAsync"/> said it can.</summary>
    public Task<TaskWorktree> CreateAsync(string taskId, string source, CancellationToken cancellationToken) =>
        SerialAsync(taskId, () => CreateLockedAsync(taskId, source, cancellationToken), cancellationToken);

    private async Task<TaskWorktree> CreateLockedAsync(string taskId, string source, CancellationToken cancellationToken)
    {
        var sourceTop = (await RunAsync(source, ["rev-parse", "--show-toplevel"], cancellationToken).ConfigureAwait(false)).Trim();
        var prefix = (await RunAsync(source, ["rev-parse", "--show-prefix"], cancellationToken).ConfigureAwait(false)).Trim();
        var head = (await RunAsync(source, ["rev-parse", "--verify", "HEAD^{commit}"], cancellationToken).ConfigureAwait(false)).Trim();
        var folder = FolderOf(taskId);
        Directory.CreateDirectory(folder); // the home is private to the user
        var top = Path.Combine(folder, "tree");
        // From here on, in the task's sandbox (the rev-parses above only read where the repository is, running nothing).
        // A parent task's own worktree as the source is under the hidden Plue home, where only what is writable shows.
        var sandbox = Confined(taskId, sourceTop, sourceWritable: IsUnder(sourceTop, Root));
        // No hooks of the user's run on our checkout.
        await AdministeredAsync(() => RunAsync(sourceTop, ["-c", "core.hooksPath=/dev/null", "worktree", "add", "--detach", "--quiet", top, head], cancellationToken, sandbox: sandbox),
            cancellationToken).ConfigureAwait(false);
        await CopyUncommittedAsync(sourceTop, top, folder, sandbox, cancellationToken).ConfigureAwait(false);
        var worktree = new TaskWorktree
        {
            TaskId = taskId,
            Source = source,
            SourceTop = sourceTop,
            Top = top,
            Folder = prefix.Length == 0 ? top : Path.Combine(top, prefix.TrimEnd('/')),
            Base = await TreeAsync(top, sandbox, cancellationToken).ConfigureAwait(false),
        };
        Save(worktree);
        LogCreated(taskId, top);
        return worktree;
    }

    /// <summary>The files the task changed against its base ("M src/a.ts"), as they are now.</summary>
    public Task<List<string>> ChangedAsync(TaskWorktree worktree, CancellationToken cancellationToken) =>
        SerialAsync(worktree.TaskId, () => ChangedLockedAsync(worktree, cancellationToken), cancellationToken);

    private async Task<List<string>> ChangedLockedAsync(TaskWorktree worktree, CancellationToken cancellationToken)
    {
        var sandbox = Confined(worktree.TaskId, worktree.SourceTop);
        var after = await TreeAsync(worktree.Top, sandbox, cancellationToken).ConfigureAwait(false);
        if (after == worktree.Base) return [];
        return CheckpointStore.NameStatus(await RunAsync(worktree.Top,
            ["diff-tree", "-r", "--no-renames", "--name-status", "-z", worktree.Base, after], cancellationToken, sandbox: sandbox).ConfigureAwait(false));
    }

    /// <summary>
    /// A run ended: what it changed is noted for review, or the worktree is removed when nothing changed. Returns the
    /// worktree with its changes, or null when it was removed (or there was none).
    /// </summary>
    public Task<TaskWorktree?> SettleAsync(string taskId, CancellationToken cancellationToken) =>
        SerialAsync(taskId, () => SettleLockedAsync(taskId, cancellationToken), cancellationToken);

    private async Task<TaskWorktree?> SettleLockedAsync(string taskId, CancellationToken cancellationToken)
    {
        if (Find(taskId) is not { } worktree) return null;
        var changes = await ChangedLockedAsync(worktree, cancellationToken).ConfigureAwait(false);
        if (changes.Count == 0)
        {
            await RemoveLockedAsync(taskId, cancellationToken).ConfigureAwait(false);
            return null;
        }
        var settled = worktree with { Changes = changes };
        Save(settled);
        return settled;
    }

    /// <summary>The task's changes as a git patch (binary files included, full blob ids), and its files.</summary>
    public Task<TaskChangesResult> ChangesAsync(string taskId, CancellationToken cancellationToken) =>
        SerialAsync(taskId, () => ChangesLockedAsync(taskId, cancellationToken), cancellationToken);

    private async Task<TaskChangesResult> ChangesLockedAsync(string taskId, CancellationToken cancellationToken)
    {
        var worktree = Find(taskId) ?? throw NoChanges();
        var files = await ChangedLockedAsync(worktree, cancellationToken).ConfigureAwait(false);
        var patch = await PatchAsync(worktree, cancellationToken).ConfigureAwait(false);
        return new TaskChangesResult
        {
            TaskId = taskId,
            Files = [.. files.Select(f => ToFile(worktree, f))],
            Patch = patch.Length > MaxPatchChars ? patch[..MaxPatchChars] + "\n[… the rest of the diff is left out]\n" : patch,
            Folder = worktree.Source,
            Worktree = worktree.Folder,
        };
    }

    /// <summary>
    /// Applies the task's changes to its source folder with <c>git apply --3way</c> on an index of its own, then
    /// removes the worktree. Regions the source changed too are left with conflict markers (listed); a patch that
    /// cannot apply at all changes nothing and throws, keeping the worktree.
    /// </summary>
    public Task<TaskApplyChangesResult> ApplyAsync(string taskId, CancellationToken cancellationToken) =>
        SerialAsync(taskId, () => ApplyLockedAsync(taskId, cancellationToken), cancellationToken);

    private async Task<TaskApplyChangesResult> ApplyLockedAsync(string taskId, CancellationToken cancellationToken)
    {
        var worktree = Find(taskId) ?? throw NoChanges();
        var files = await ChangedLockedAsync(worktree, cancellationToken).ConfigureAwait(false);
        if (files.Count > 0)
        {
            var folder = FolderOf(taskId);
            var patchFile = Path.Combine(folder, "changes.patch");
            await File.WriteAllTextAsync(patchFile, await PatchAsync(worktree, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            var index = Path.Combine(folder, "apply.index");
            var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
            // Applying writes the source folder: the user asked for it.
            var sandbox = Confined(taskId, worktree.SourceTop, sourceWritable: true);
            // The private index holds the source as it is now, so --3way compares with the files, not the user's staging.
            await RunAsync(worktree.SourceTop, ["read-tree", "HEAD"], cancellationToken, environment, sandbox).ConfigureAwait(false);
            await RunAsync(worktree.SourceTop, ["add", "--all"], cancellationToken, environment, sandbox).ConfigureAwait(false);
            var (exit, _, error) = await GitProcess.TryRunAsync(worktree.SourceTop, ["apply", "--3way", "--binary", patchFile], cancellationToken, environment: environment, sandbox: sandbox).ConfigureAwait(false);
            var unmerged = Unmerged(await RunAsync(worktree.SourceTop, ["ls-files", "--unmerged", "-z"], cancellationToken, environment, sandbox).ConfigureAwait(false));
            if (exit != 0 && unmerged.Count == 0)
                throw PlueErrors.Conflict($"The task's changes could not be applied to {worktree.Source}: {error.Trim()} Nothing was changed; review them in the task's panel, or discard them.");
            var versions = new List<TaskConflict>();
            foreach (var (path, stages) in unmerged)
                if (await VersionsAsync(worktree, path, stages, cancellationToken).ConfigureAwait(false) is { } conflict) versions.Add(conflict);
            await RemoveLockedAsync(taskId, cancellationToken).ConfigureAwait(false);
            return new TaskApplyChangesResult
            {
                TaskId = taskId,
                Files = [.. files.Select(f => ToFile(worktree, f))],
                Conflicts = [.. unmerged.Keys.Select(p => InFolder(worktree, p))],
                ConflictVersions = versions,
                Folder = worktree.Source,
            };
        }
        await RemoveLockedAsync(taskId, cancellationToken).ConfigureAwait(false);
        return new TaskApplyChangesResult { TaskId = taskId, Files = [], Conflicts = [], ConflictVersions = [], Folder = worktree.Source };
    }

    /// <summary>
    /// A conflicted file's base, current and incoming versions from the private index's stages 1, 2 and 3 (the blobs
    /// are in the repository: the worktree shares its objects); null for a binary file, one past the limit, or a side
    /// that deleted it.
    /// </summary>
    private static async Task<TaskConflict?> VersionsAsync(TaskWorktree worktree, string path, IReadOnlyDictionary<int, string> stages, CancellationToken cancellationToken)
    {
        if (!stages.ContainsKey(2) || !stages.ContainsKey(3)) return null;
        var texts = new string[3];
        for (var stage = 1; stage <= 3; stage++)
        {
            if (!stages.TryGetValue(stage, out var blob)) continue; // added on both sides: no common ancestor
            var bytes = await GitProcess.RunBytesAsync(worktree.SourceTop, ["cat-file", "blob", blob], "for a task's conflict", cancellationToken).ConfigureAwait(false);
            if (bytes.Length > MaxConflictBytes || Array.IndexOf(bytes, (byte)0) >= 0) return null;
            texts[stage - 1] = Encoding.UTF8.GetString(bytes);
        }
        return new TaskConflict { Path = InFolder(worktree, path), Base = texts[0] ?? "", Current = texts[1], Incoming = texts[2] };
    }

    /// <summary>Removes the task's worktree, its changes with it; the source's git forgets it.</summary>
    public Task RemoveAsync(string taskId, CancellationToken cancellationToken) =>
        SerialAsync(taskId, async () =>
        {
            await RemoveLockedAsync(taskId, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Removes an <c>index.lock</c> left in the task's worktree by a git that is gone (killed with the sidecar, or
    /// mid-way): every git of ours there takes its turn, so one found while we hold the turn is not ours. The caller
    /// knows no run of the task (whose tools may run git) is working there. Returns whether there was one.
    /// </summary>
    public Task<bool> ClearStaleLockAsync(string taskId, CancellationToken cancellationToken) =>
        SerialAsync(taskId, () =>
        {
            if (Find(taskId) is not { } worktree || GitFolder(worktree) is not { } gitFolder) return Task.FromResult(false);
            var index = Path.Combine(gitFolder, "index.lock");
            if (!File.Exists(index)) return Task.FromResult(false);
            File.Delete(index);
            LogStaleLock(taskId, index);
            return Task.FromResult(true);
        }, cancellationToken);

    /// <summary>
    /// The worktree's own git folder (its index), from the <c>gitdir:</c> line of its <c>.git</c> file; null when it has
    /// none. Read as a regular file only: a FIFO in its place would hang Review for good (git then says what is wrong).
    /// </summary>
    private static string? GitFolder(TaskWorktree worktree)
    {
        var link = Path.Combine(worktree.Top, ".git");
        var info = new FileInfo(link);
        if (!info.Exists || info.LinkTarget is not null) return null;
        string line;
        try
        {
            line = RegularFile.ReadText(link, 4096).Trim();
        }
        catch (RegularFileException)
        {
            return null;
        }
        return line.StartsWith("gitdir: ", StringComparison.Ordinal) ? Path.GetFullPath(line["gitdir: ".Length..], worktree.Top) : null;
    }

    /// <summary>Runs <paramref name="operation"/> when no other operation on the task's worktree runs.</summary>
    private Task<T> SerialAsync<T>(string taskId, Func<Task<T>> operation, CancellationToken cancellationToken) =>
        InTurnAsync(_gates.GetOrAdd(FolderOf(taskId), _ => new SemaphoreSlim(1, 1)), operation, cancellationToken);

    /// <summary>Runs <paramref name="operation"/> (a worktree add, or a remove and prune) when no other such runs; always taken after a task's own turn.</summary>
    private Task<T> AdministeredAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken) => InTurnAsync(_administration, operation, cancellationToken);

    private static async Task<T> InTurnAsync<T>(SemaphoreSlim gate, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await operation().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task RemoveLockedAsync(string taskId, CancellationToken cancellationToken)
    {
        var folder = FolderOf(taskId);
        if (Find(taskId) is { } worktree)
        {
            var sandbox = Confined(taskId, worktree.SourceTop);
            await AdministeredAsync(async () =>
            {
                await GitProcess.TryRunAsync(worktree.SourceTop, ["worktree", "remove", "--force", worktree.Top], cancellationToken, sandbox: sandbox).ConfigureAwait(false);
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                return await GitProcess.TryRunAsync(worktree.SourceTop, ["worktree", "prune"], cancellationToken, sandbox: sandbox).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        else if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
            // A worktree made only in part: each workspace folder's git forgets the folder that is gone. Unconfined, as
            // at start-up: no worktree record says which repository it was, and prune only deletes git's notes of
            // worktrees whose folder is gone (s_noCommands in GitProcess keeps any command out).
            foreach (var source in session.Folders.Where(Directory.Exists))
                await AdministeredAsync(() => GitProcess.TryRunAsync(source, ["worktree", "prune"], cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        LogRemoved(taskId);
    }

    /// <summary>A repository path ("M src/a.ts") as a file of the source folder, which may be a sub-folder of its repository.</summary>
    private static CheckpointFile ToFile(TaskWorktree worktree, string nameStatus) => new()
    {
        Path = InFolder(worktree, CheckpointTurns.PathOf(nameStatus)),
        Change = nameStatus[0] switch { 'A' => CheckpointChange.Added, 'D' => CheckpointChange.Deleted, _ => CheckpointChange.Modified },
    };

    private static string InFolder(TaskWorktree worktree, string path) =>
        Path.GetRelativePath(worktree.Source, Path.Combine(worktree.SourceTop, path)).Replace('\\', '/');

    private async Task<string> PatchAsync(TaskWorktree worktree, CancellationToken cancellationToken)
    {
        var sandbox = Confined(worktree.TaskId, worktree.SourceTop);
        var after = await TreeAsync(worktree.Top, sandbox, cancellationToken).ConfigureAwait(false);
        // Prefixes and renames said outright: the user's diff settings must not change what apply reads.
        return await RunAsync(worktree.Top, ["diff-tree", "-p", "-r", "--binary", "--full-index", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv",
            "--src-prefix=a/", "--dst-prefix=b/", worktree.Base, after], cancellationToken, sandbox: sandbox).ConfigureAwait(false);
    }

    /// <summary>The worktree's files as a tree (ignored files left out, as the user's .gitignore says).</summary>
    private static async Task<string> TreeAsync(string top, GitSandbox? sandbox, CancellationToken cancellationToken)
    {
        await RunAsync(top, ["add", "--all"], cancellationToken, sandbox: sandbox).ConfigureAwait(false);
        return (await RunAsync(top, ["write-tree"], cancellationToken, sandbox: sandbox).ConfigureAwait(false)).Trim();
    }

    /// <summary>The source's changes not yet committed: tracked ones as a patch, untracked files (not ignored, not the home) copied.</summary>
    private async Task CopyUncommittedAsync(string sourceTop, string top, string folder, GitSandbox? sandbox, CancellationToken cancellationToken)
    {
        var patch = Path.Combine(folder, "uncommitted.patch");
        // A nested repository's own work tree is never checked (git would run there under that repository's config,
        // which is the agent's to write): only the commit its gitlink names counts.
        await RunAsync(sourceTop, ["diff", "HEAD", "--ignore-submodules=dirty", "--binary", "--full-index", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/",
            "--output=" + patch], cancellationToken, sandbox: sandbox).ConfigureAwait(false);
        if (new FileInfo(patch).Length > 0) await RunAsync(top, ["apply", "--binary", "--whitespace=nowarn", patch], cancellationToken, sandbox: sandbox).ConfigureAwait(false);
        File.Delete(patch);
        var home = Path.GetFullPath(session.Home) + Path.DirectorySeparatorChar;
        foreach (var path in (await RunAsync(sourceTop, ["ls-files", "--others", "--exclude-standard", "-z"], cancellationToken, sandbox: sandbox).ConfigureAwait(false))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var from = Path.Combine(sourceTop, path);
            var info = new FileInfo(from);
            if (!info.Exists || info.LinkTarget is not null || (Path.GetFullPath(from) + Path.DirectorySeparatorChar).StartsWith(home, StringComparison.Ordinal)) continue;
            var to = Path.Combine(top, path);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
        }
    }

    /// <summary><c>ls-files --unmerged</c> ("mode blob stage\tpath" lines) as each path's blob per stage, in the listing's order.</summary>
    private static Dictionary<string, Dictionary<int, string>> Unmerged(string listing)
    {
        var paths = new Dictionary<string, Dictionary<int, string>>(StringComparer.Ordinal);
        foreach (var line in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t');
            var head = line[..tab].Split(' ');
            var path = line[(tab + 1)..];
            if (!paths.TryGetValue(path, out var stages)) paths[path] = stages = [];
            stages[int.Parse(head[2], System.Globalization.CultureInfo.InvariantCulture)] = head[1];
        }
        return paths;
    }

    private void Save(TaskWorktree worktree)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var temporary = Path.Combine(FolderOf(worktree.TaskId), Record + ".new");
        using (var stream = new FileStream(temporary, options))
            JsonSerializer.Serialize(stream, worktree, CheckpointJsonContext.Default.TaskWorktree);
        File.Move(temporary, Path.Combine(FolderOf(worktree.TaskId), Record), overwrite: true);
    }

    /// <summary>Task ids are record ids; anything else is hashed, so a name can never leave the folder.</summary>
    private string FolderOf(string taskId) =>
        Path.Combine(Root, taskId.Length <= 100 && taskId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? taskId : CheckpointLog.Hash(taskId));

    private static Rpc.RpcException NoChanges() =>
        PlueErrors.NotFound("The task has no changes waiting: it worked in the workspace itself, or its changes were applied or discarded already.");

    private static Task<string> RunAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null, GitSandbox? sandbox = null) =>
        GitProcess.RunAsync(directory, arguments, "for a task's worktree", cancellationToken, environment: environment, sandbox: sandbox);

    /// <summary>
    /// The sandbox of the git working on the task's worktree, under the task's policy (none when it is off or the task
    /// is gone): writable only the task's folder in the Plue home (its worktree, patch and index) and the source
    /// repository's git folder (where its commits and its worktree's notes go), the source folder too when its changes
    /// are applied there; the source readable; no network.
    /// </summary>
    private GitSandbox? Confined(string taskId, string sourceTop, bool sourceWritable = false)
    {
        if (sandboxes?.For(taskId) is not { IsOff: false } policy) return null;
        var dotGit = Path.Combine(sourceTop, ".git");
        var sourceGit = Directory.Exists(dotGit) ? dotGit : Sandbox.SandboxPlaces.WorktreeGitDir(sourceTop);
        List<string> writable = [FolderOf(taskId), .. sourceGit is null ? Array.Empty<string>() : [sourceGit]];
        if (sourceWritable) writable.Add(sourceTop);
        // Only what is there (bwrap cannot bind what is not): a prune follows the folder's removal. The other tasks'
        // worktrees readable: a prune would take one it cannot see for gone and forget it.
        return new GitSandbox(policy, [.. writable.Where(Directory.Exists)], [sourceTop, Root], session.Home);
    }

    private static bool IsUnder(string path, string folder) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} works in its own worktree {Path}")]
    private partial void LogCreated(string taskId, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: a stale index.lock left by a git that is gone was removed ({Path})")]
    private partial void LogStaleLock(string taskId, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: its worktree is removed")]
    private partial void LogRemoved(string taskId);
}
