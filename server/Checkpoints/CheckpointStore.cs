using System.Text;
using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Checkpoints;

/// <summary>
/// Records every change a chat or task makes to the workspace folder and puts files back. The workspace is
/// snapshotted before and after each change into a git repository of the home's
/// (<c>$PLUE_HOME/checkpoints/&lt;folder hash&gt;/repo</c>, never the user's own), as trees: the user's .gitignore
/// applies, binary files and deletions are kept as git keeps them. Each change is a line of its owner's log
/// (<see cref="CheckpointLog"/>); a turn is the changes made under one user message. Without git, or without a
/// workspace folder, changes run unrecorded and <see cref="Unavailable"/> says why.
/// </summary>
public sealed partial class CheckpointStore(WorkspaceContext session, CheckpointOwners owners, ILogger<CheckpointStore> logger)
{
    public const string Turn = "turn";
    public const string Restore = "restore";
    private const int MaxPatchChars = 200_000;
    private const int MaxTextBytes = 2 * 1024 * 1024;

    // Snapshots share the repository's index: one at a time. A change itself runs outside it.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Why changes are not recorded here; null when they are.</summary>
    public string? Unavailable =>
        session.Folders.Count == 0 ? "Checkpoints need an open workspace folder." : ShadowGit.Available ? null : ShadowGit.NoGit;

    /// <summary>Runs <paramref name="change"/> between two snapshots and records what it changed under the owner's current turn.</summary>
    public async Task<T> RecordAsync<T>(string owner, string kind, Func<Task<T>> change, CancellationToken cancellationToken)
    {
        var before = await BeginAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await change().ConfigureAwait(false);
        }
        finally
        {
            if (before is not null) await EndAsync(owner, kind, before, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The workspace's tree before a change; null when it cannot be recorded (said once in the log).</summary>
    private async Task<string?> BeginAsync(CancellationToken cancellationToken)
    {
        if (Unavailable is not null) return null;
        try
        {
            return await SnapshotAsync(Git(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
        {
            LogNotRecorded(e.Message);
            return null;
        }
    }

    /// <summary>Records what changed since <paramref name="before"/>; nothing when nothing did.</summary>
    private async Task EndAsync(string owner, string kind, string before, CancellationToken cancellationToken)
    {
        try
        {
            var git = Git();
            var after = await SnapshotAsync(git, cancellationToken).ConfigureAwait(false);
            if (after == before) return;
            var files = await ChangedAsync(git, before, after, cancellationToken).ConfigureAwait(false);
            Log().Append(new CheckpointEntry
            {
                Id = NewId(),
                Owner = owner,
                MessageId = owners.LatestUserMessage(owner),
                Kind = kind,
                Before = before,
                After = after,
                At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Files = files,
            });
        }
        catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
        {
            LogNotRecorded(e.Message);
        }
    }

    /// <summary>The owner's turns (a task's with its sub-tasks'), oldest first.</summary>
    public CheckpointListResult List(string owner) => new()
    {
        Available = Unavailable is null,
        Reason = Unavailable,
        Checkpoints = [.. CheckpointTurns.Of(Entries(owner))],
    };

    public async Task<CheckpointDiffResult> DiffAsync(string owner, string checkpointId, string? path, CancellationToken cancellationToken)
    {
        var turn = CheckpointTurns.Find(Entries(owner), checkpointId)
            ?? throw PlueErrors.NotFound($"There is no checkpoint {checkpointId} in this chat: it was removed; reopen the chat to see those there are.");
        var git = Git();
        var patch = await git.RunAsync(["diff-tree", "-p", "-r", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv", turn.Before, turn.After], cancellationToken).ConfigureAwait(false);
        if (patch.Length > MaxPatchChars) patch = patch[..MaxPatchChars] + "\n[… the rest of the diff is left out]\n";
        if (path is null) return new CheckpointDiffResult { Patch = patch };
        // Refused before git sees it: git's own refusal names the home's shadow repository, which is no business of the caller.
        if (Path.IsPathRooted(path) || path.Contains('\0') || path.Split('/', '\\').Any(part => part == ".."))
            throw RpcException.InvalidParams($"{path} is not a path inside the workspace: give it relative to the workspace folder, as the turn's list of changed files names them");
        var before = await ContentAsync(git, turn.Before, path, cancellationToken).ConfigureAwait(false);
        var after = await ContentAsync(git, turn.After, path, cancellationToken).ConfigureAwait(false);
        return new CheckpointDiffResult
        {
            Patch = patch,
            Before = before.Text,
            After = after.Text,
            Binary = before.Binary || after.Binary,
        };
    }

    /// <summary>
    /// Puts back, as they were before the first change at or after <paramref name="since"/> (ms), the files the owner's
    /// tree changed since, after recording the workspace as it is (the restore's own checkpoint, its undo). A file
    /// whose content is not what the owner's last change left (the user, or another chat, changed it) is a conflict:
    /// nothing is written unless <paramref name="force"/>.
    /// </summary>
    public async Task<CheckpointRestoreResult> RestoreAsync(string owner, long since, string? messageId, bool force, CancellationToken cancellationToken)
    {
        if (Unavailable is { } reason) throw PlueErrors.Conflict(reason);
        // The owner's own changes are placed by the message they were made under, not by the clock: a turn that ended
        // in the millisecond the next message was sent is still before it.
        var seqs = owners.UserMessageSeqs(owner);
        var from = messageId is not null && seqs.TryGetValue(messageId, out var seq) ? seq : (int?)null;
        var entries = Entries(owner).Where(e => from is { } f && e.Owner == owner && e.Kind == Turn && e.MessageId is { } m && seqs.TryGetValue(m, out var s)
            ? s >= f
            : e.At >= since).ToList();
        if (entries.Count == 0) return new CheckpointRestoreResult { Restored = true, Conflicts = [], Files = [] };
        var git = Git();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await SnapshotLockedAsync(git, cancellationToken).ConfigureAwait(false);
            var lastAfter = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in entries)
                foreach (var file in entry.Files) lastAfter[CheckpointTurns.PathOf(file)] = entry.After;
            var conflicts = await ConflictsAsync(git, lastAfter, current, cancellationToken).ConfigureAwait(false);
            if (conflicts.Count > 0 && !force) return new CheckpointRestoreResult { Restored = false, Conflicts = conflicts, Files = [] };

            var target = entries[0].Before;
            var kept = await NamesAsync(git, ["ls-tree", "-r", "--name-only", "-z", target, "--", .. lastAfter.Keys], cancellationToken).ConfigureAwait(false);
            if (kept.Count > 0) await git.RunAsync(["checkout", target, "--", .. kept], cancellationToken).ConfigureAwait(false);
            var keptSet = kept.ToHashSet(StringComparer.Ordinal);
            foreach (var path in lastAfter.Keys.Where(p => !keptSet.Contains(p)))
            {
                var full = Path.Combine(git.WorkTree, path);
                if (File.Exists(full) || new FileInfo(full).LinkTarget is not null) File.Delete(full);
            }
            var after = await SnapshotLockedAsync(git, cancellationToken).ConfigureAwait(false);
            var id = NewId();
            var files = after == current ? [] : await ChangedAsync(git, current, after, cancellationToken).ConfigureAwait(false);
            Log().Append(new CheckpointEntry
            {
                Id = id,
                Owner = owner,
                MessageId = messageId,
                Kind = Restore,
                Before = current,
                After = after,
                At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Files = files,
            });
            return new CheckpointRestoreResult
            {
                Restored = true,
                Conflicts = conflicts,
                Files = [.. files.Select(CheckpointTurns.PathOf)],
                UndoCheckpointId = id,
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>When the owner's checkpoint was made (ms), to restore to before it; null when it is not the owner's.</summary>
    public long? TimeOf(string owner, string checkpointId) => Entries(owner).FirstOrDefault(e => e.Id == checkpointId)?.At;

    /// <summary>Files whose blob differs between the owner's last change to them and now: one git call for any number.</summary>
    private static async Task<List<string>> ConflictsAsync(ShadowGit git, SortedDictionary<string, string> lastAfter, string current, CancellationToken cancellationToken)
    {
        var query = new StringBuilder();
        foreach (var (path, after) in lastAfter) query.Append(after).Append(':').Append(path).Append('\n').Append(current).Append(':').Append(path).Append('\n');
        var answer = (await git.RunAsync(["cat-file", "--batch-check=%(objectname)"], cancellationToken, query.ToString()).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var conflicts = new List<string>();
        var index = 0;
        foreach (var path in lastAfter.Keys)
        {
            // "<tree>:<path> missing" for a file that is not there: equal only when missing in both.
            if (index + 1 >= answer.Length || answer[index] != answer[index + 1] || path.Contains('\n')) conflicts.Add(path);
            index += 2;
        }
        return conflicts;
    }

    private List<CheckpointEntry> Entries(string owner)
    {
        // Without a workspace folder there is no store to read: nothing was recorded.
        if (session.Folders.Count == 0) return [];
        var log = Log();
        var tree = owners.Tree(owner);
        var entries = tree.SelectMany(log.Read);
        if (tree.Count > 1)
        {
            // A sub-task's change is its orchestrator's too: seen from the orchestrator it falls under the orchestrator's
            // user message of the time, so the goal's checkpoint holds (and restores) what the whole tree changed.
            var asked = owners.UserMessageTimes(owner);
            entries = entries.Select(e => e.Owner == owner ? e : e with { Owner = owner, MessageId = AskedAt(asked, e.At) ?? e.MessageId });
        }
        return [.. entries.OrderBy(e => e.At).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    /// <summary>The last of the user messages (oldest first) sent at or before <paramref name="at"/>; else the first.</summary>
    private static string? AskedAt(List<(string Id, long At)> asked, long at)
    {
        string? found = asked.Count > 0 ? asked[0].Id : null;
        foreach (var (id, sent) in asked)
        {
            if (sent > at) break;
            found = id;
        }
        return found;
    }

    private async Task<string> SnapshotAsync(ShadowGit git, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SnapshotLockedAsync(git, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> SnapshotLockedAsync(ShadowGit git, CancellationToken cancellationToken)
    {
        await git.EnsureAsync(HomeInside(git.WorkTree), cancellationToken).ConfigureAwait(false);
        await git.AddAllAsync(cancellationToken).ConfigureAwait(false);
        return (await git.RunAsync(["write-tree"], cancellationToken).ConfigureAwait(false)).Trim();
    }

    private static async Task<List<string>> ChangedAsync(ShadowGit git, string before, string after, CancellationToken cancellationToken) =>
        NameStatus(await git.RunAsync(["diff-tree", "-r", "--no-renames", "--name-status", "-z", before, after], cancellationToken).ConfigureAwait(false));

    /// <summary><c>diff-tree --name-status -z</c>'s output as "M src/a.ts" lines.</summary>
    internal static List<string> NameStatus(string output)
    {
        var fields = output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var files = new List<string>();
        for (var i = 0; i + 1 < fields.Length; i += 2) files.Add(fields[i][..1] + " " + fields[i + 1]);
        return files;
    }

    private static async Task<List<string>> NamesAsync(ShadowGit git, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        [.. (await git.RunAsync(arguments, cancellationToken).ConfigureAwait(false)).Split('\0', StringSplitOptions.RemoveEmptyEntries)];

    private static async Task<(string? Text, bool Binary)> ContentAsync(ShadowGit git, string tree, string path, CancellationToken cancellationToken)
    {
        var exists = await NamesAsync(git, ["ls-tree", "--name-only", "-z", tree, "--", path], cancellationToken).ConfigureAwait(false);
        if (exists.Count == 0) return (null, false);
        var bytes = await git.RunBytesAsync(["cat-file", "blob", $"{tree}:{path}"], cancellationToken).ConfigureAwait(false);
        if (bytes.Length > MaxTextBytes || Array.IndexOf(bytes, (byte)0, 0, Math.Min(bytes.Length, 8000)) >= 0) return (null, true);
        return (Encoding.UTF8.GetString(bytes), false);
    }

    private string Folder() => Path.Combine(session.Home, "checkpoints", CheckpointLog.Hash(Path.GetFullPath(session.Folders[0])));

    private ShadowGit Git() => new(Path.Combine(Folder(), "repo"), Path.GetFullPath(session.Folders[0]));

    private CheckpointLog Log() => new(Path.Combine(Folder(), "turns"));

    /// <summary>The home's path under the workspace folder, when it is there.</summary>
    private string? HomeInside(string workTree)
    {
        var relative = Path.GetRelativePath(workTree, session.Home);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? null : relative.Replace('\\', '/');
    }

    private static string NewId() => $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds():x}-{Guid.NewGuid():N}"[..24];

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change to the workspace was not recorded as a checkpoint: {Reason}")]
    private partial void LogNotRecorded(string reason);
}
