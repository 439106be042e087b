using System.Formats.Tar;
using Plue.Checkpoints;
using Plue.Engines;

namespace Plue.Agents.Containers;

/// <summary>
/// A task on an engine on another machine (no shared folders, docs/CONTAINERS.md): its worktree goes in as a git
/// bundle and comes back as one. In: the worktree's files as they are (its HEAD and what is uncommitted, staged as the
/// review's base is) become a starting-point commit, bundled, put in the container through the archive call into a
/// volume at the worktree's parent folder, and checked out there at the worktree's own path, so paths are the same on
/// both sides. Out, when the run ends: what the task left uncommitted is committed in the container (its checkpoint
/// commit), the commits since the starting point are bundled, fetched from the archive call into the worktree here and
/// checked out (what changed here meanwhile, a sub-task's changes merged in, carried along), so its changes are
/// reviewed and merged as a local task's.
/// </summary>
public static class ContainerBundle
{
    /// <summary>The starting point's ref: of the worktree alone (refs/worktree/), never seen by the user's repository.</summary>
    private const string StartRef = "refs/worktree/plue-start";
    private const string StartFile = ".plue-start.bundle";
    private const string EndFile = ".git/plue-end.bundle";
    private const int NoGitExit = 97;

    /// <summary>The folder given a volume in the container: the worktree's parent (the worktree itself is made there, the user's).</summary>
    public static string VolumeOf(TaskWorktree worktree) => Path.GetDirectoryName(worktree.Top)!;

    public static string NoGit(string image) =>
        $"The image '{image}' has no git, which a task on an engine on another machine needs to get its files and bring its work back: use an image with git, or an engine on this machine";

    /// <summary>Sends the worktree in (see the class); returns the starting point's commit.</summary>
    public static async Task<string> SendAsync(TaskContainer container, TaskWorktree worktree, string image, CancellationToken cancellationToken)
    {
        const string where = "making the task's starting point";
        var top = worktree.Top;
        var start = await SnapshotAsync(top, "Plue: the task's starting point", where, cancellationToken).ConfigureAwait(false);
        await GitProcess.RunAsync(top, ["update-ref", StartRef, start], where, cancellationToken).ConfigureAwait(false);
        var bundle = Path.Combine(VolumeOf(worktree), "start.bundle");
        var tar = bundle + ".tar";
        try
        {
            await GitProcess.RunAsync(top, ["bundle", "create", bundle, StartRef], where, cancellationToken).ConfigureAwait(false);
            await WriteTarAsync(tar, container.User, Path.GetFileName(top), bundle, cancellationToken).ConfigureAwait(false);
            var input = File.OpenRead(tar);
            await using (input.ConfigureAwait(false))
                await container.Client.PutArchiveAsync(container.Id, VolumeOf(worktree), input, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(bundle);
            File.Delete(tar);
        }
        var (name, email) = await IdentityAsync(top, cancellationToken).ConfigureAwait(false);
        const string checkout = "command -v git >/dev/null 2>&1 || exit 97; cd \"$1\" && git init -q . && git fetch -q \"$2\" \"$3\" && git checkout -q -b plue-task FETCH_HEAD"
            + " && git config user.name \"$4\" && git config user.email \"$5\"";
        var (exit, _, error) = await container.ScriptAsync(checkout, [top, Path.Combine(VolumeOf(worktree), StartFile), StartRef, name, email], cancellationToken).ConfigureAwait(false);
        if (exit == NoGitExit) throw new EngineException(NoGit(image) + ".", EngineFix.Image);
        if (exit != 0) throw new EngineException($"The task's files could not be checked out in its container: {OneLine(error)}.", EngineFix.Image);
        return start;
    }

    /// <summary>
    /// Brings the work back into the worktree (see the class); what stops it is thrown (an <see cref="EngineException"/>
    /// or a <see cref="CheckpointException"/>), the worktree then left as it was.
    /// </summary>
    public static async Task BringBackAsync(TaskContainer container, TaskWorktree worktree, string start, CancellationToken cancellationToken)
    {
        const string bundle = "cd \"$1\" || exit 96; git add -A || exit 95; git diff --cached --quiet"
            + " || git -c user.name=Plue -c user.email=plue@localhost commit -q --no-verify -m \"Plue: what the task left uncommitted\" || exit 95;"
            + " [ \"$(git rev-parse HEAD)\" = \"$2\" ] && exit 0; git bundle create \"$3\" HEAD \"^$2\" >/dev/null || exit 94; echo BUNDLED";
        var end = Path.Combine(worktree.Top, EndFile);
        var (exit, output, error) = await container.ScriptAsync(bundle, [worktree.Top, start, end], cancellationToken).ConfigureAwait(false);
        if (exit != 0) throw new EngineException($"The task's work could not be bundled in its container: {OneLine(error)}.", EngineFix.StartEngine);
        if (!output.Contains("BUNDLED", StringComparison.Ordinal)) return; // nothing changed
        var here = Path.Combine(VolumeOf(worktree), "end.bundle");
        try
        {
            var found = await container.Client.GetArchiveAsync(container.Id, end, stream => SaveFirstAsync(stream, here, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (!found || !File.Exists(here)) throw new EngineException("The task's work was bundled in its container but could not be read back.", EngineFix.StartEngine);
            await ApplyAsync(worktree.Top, here, "HEAD", start, "bringing the task's work back", cancellationToken).ConfigureAwait(false);
            await GitProcess.TryRunAsync(worktree.Top, ["update-ref", "-d", StartRef], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(here);
        }
    }

    /// <summary>
    /// The work a bundle brought (<paramref name="refName"/> in <paramref name="bundle"/>, commits on top of
    /// <paramref name="start"/>) checked out in the worktree at <paramref name="top"/>: from the starting point to the
    /// work, carrying what changed here meanwhile (a sub-task's changes merged into this worktree) as checkout carries
    /// local changes: merged, with conflict markers where both did.
    /// </summary>
    public static async Task ApplyAsync(string top, string bundle, string refName, string start, string where, CancellationToken cancellationToken)
    {
        await GitProcess.RunAsync(top, ["fetch", "--quiet", "--no-tags", bundle, refName], where, cancellationToken).ConfigureAwait(false);
        await GitProcess.RunAsync(top, ["reset", "--quiet", "--soft", start], where, cancellationToken).ConfigureAwait(false);
        await GitProcess.RunAsync(top, ["checkout", "--quiet", "--merge", "--detach", "FETCH_HEAD"], where, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A commit of the worktree's files as they are (its HEAD and what is uncommitted, staged as the review's base is),
    /// on top of HEAD, by Plue, moving no ref: a remote task's starting point, a job's result or saved state.
    /// </summary>
    /// <param name="always">False: HEAD itself when nothing is uncommitted.</param>
    public static async Task<string> SnapshotAsync(string top, string message, string where, CancellationToken cancellationToken, bool always = true)
    {
        await GitProcess.RunAsync(top, ["add", "--all"], where, cancellationToken).ConfigureAwait(false);
        var tree = (await GitProcess.RunAsync(top, ["write-tree"], where, cancellationToken).ConfigureAwait(false)).Trim();
        if (!always && (await GitProcess.RunAsync(top, ["rev-parse", "HEAD^{tree}"], where, cancellationToken).ConfigureAwait(false)).Trim() == tree)
            return (await GitProcess.RunAsync(top, ["rev-parse", "HEAD"], where, cancellationToken).ConfigureAwait(false)).Trim();
        return (await GitProcess.RunAsync(top, ["commit-tree", tree, "-p", "HEAD", "-m", message], where, cancellationToken,
            environment: s_plueIdentity).ConfigureAwait(false)).Trim();
    }

    private static readonly Dictionary<string, string> s_plueIdentity = new()
    {
        ["GIT_AUTHOR_NAME"] = "Plue", ["GIT_AUTHOR_EMAIL"] = "plue@localhost", ["GIT_COMMITTER_NAME"] = "Plue", ["GIT_COMMITTER_EMAIL"] = "plue@localhost",
    };

    /// <summary>The user's git name and address, for the commits the task makes in its container; Plue's when none is set.</summary>
    private static async Task<(string Name, string Email)> IdentityAsync(string top, CancellationToken cancellationToken)
    {
        async Task<string?> Read(string key)
        {
            var (exit, output, _) = await GitProcess.TryRunAsync(top, ["config", key], cancellationToken).ConfigureAwait(false);
            var text = System.Text.Encoding.UTF8.GetString(output).Trim();
            return exit == 0 && text.Length > 0 ? text : null;
        }
        return (await Read("user.name").ConfigureAwait(false) ?? "Plue task", await Read("user.email").ConfigureAwait(false) ?? "plue@localhost");
    }

    /// <summary>The tar put in the volume: the worktree's folder (empty, the container user's) and the bundle beside it.</summary>
    private static async Task WriteTarAsync(string tar, string user, string folderName, string bundle, CancellationToken cancellationToken)
    {
        var (uid, gid) = Ids(user);
        var output = File.Create(tar);
        await using (output.ConfigureAwait(false))
        {
            var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteEntryAsync(Entry(TarEntryType.Directory, folderName + "/", uid, gid, Folder), cancellationToken).ConfigureAwait(false);
                var data = File.OpenRead(bundle);
                await using (data.ConfigureAwait(false))
                {
                    var entry = Entry(TarEntryType.RegularFile, StartFile, uid, gid, ReadWrite);
                    entry.DataStream = data;
                    await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public const UnixFileMode ReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Folder = ReadWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static UstarTarEntry Entry(TarEntryType type, string name, int uid, int gid, UnixFileMode mode) =>
        new(type, name) { Uid = uid, Gid = gid, Mode = mode, ModificationTime = DateTimeOffset.UtcNow };

    /// <summary>The uid and gid of a container user written uid:gid (1000 for anything else).</summary>
    public static (int Uid, int Gid) Ids(string user)
    {
        var parts = user.Split(':');
        return (int.TryParse(parts[0], out var uid) ? uid : 1000, parts.Length > 1 && int.TryParse(parts[1], out var gid) ? gid : 1000);
    }

    private static async Task SaveFirstAsync(Stream tar, string file, CancellationToken cancellationToken)
    {
        var reader = new TarReader(tar);
        await using (reader.ConfigureAwait(false))
        {
            if (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { DataStream: { } data })
            {
                var output = File.Create(file);
                await using (output.ConfigureAwait(false))
                    await data.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) is { Length: > 0 } line ? line.TrimEnd('.') : "no reason given";
}
