using Plue.Agents.Containers;
using Plue.Checkpoints;

using Plue.Cli;

namespace Plue.Jobs;

/// <summary>
/// The job's worktree in and out as git bundles (docs/JOB-EVENTS.md): in, <c>refs/heads/plue-start</c> of start.bundle
/// (or, resumed, the saved state's <c>refs/heads/plue-state</c>) checked out in a fresh repository; out, what the job
/// did as commits on top of the starting point: the result bundle's <c>refs/heads/plue-result</c> (only the new
/// commits), or the saved state's (self-contained, so any node can go on from it). The commit of what was left
/// uncommitted is <see cref="ContainerBundle.SnapshotAsync"/>, as a task on a remote engine makes it.
/// </summary>
internal static class JobGit
{
    public const string StartRef = "refs/heads/plue-start";
    public const string StateRef = "refs/heads/plue-state";
    public const string ResultRef = "refs/heads/plue-result";
    private const string WorkBranch = "plue-job";

    /// <summary>
    /// The bundle named <paramref name="name"/> in <paramref name="folder"/>, whole, or as <c>name.0</c>, <c>name.1</c>, …
    /// (a Swarm config holds at most 500 KB) joined into <paramref name="scratch"/>; null when there is neither.
    /// </summary>
    public static async Task<string?> JoinAsync(string folder, string name, string scratch, CancellationToken cancellationToken)
    {
        var whole = Path.Combine(folder, name);
        if (File.Exists(whole)) return whole;
        if (!File.Exists(whole + ".0")) return null;
        var joined = Path.Combine(scratch, name);
        var output = File.Create(joined);
        await using (output.ConfigureAwait(false))
        {
            for (var index = 0; File.Exists($"{whole}.{index}"); index++)
            {
                var piece = File.OpenRead($"{whole}.{index}");
                await using (piece.ConfigureAwait(false))
                    await piece.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            }
        }
        return joined;
    }

    /// <summary>
    /// A repository at <paramref name="top"/> with the bundle's refs (<paramref name="refs"/>: the start, and the state
    /// when resumed), the last of them checked out on a branch of the job's own.
    /// </summary>
    public static async Task CheckOutAsync(string top, string bundle, IReadOnlyList<string> refs, CancellationToken cancellationToken)
    {
        const string where = "checking out the job's starting point";
        Directory.CreateDirectory(top);
        await GitProcess.RunAsync(top, ["init", "--quiet", "."], where, cancellationToken).ConfigureAwait(false);
        var (exit, _, error) = await GitProcess.TryRunAsync(top, ["fetch", "--quiet", "--no-tags", bundle, .. await RefSpecsAsync(top, bundle, refs, cancellationToken).ConfigureAwait(false)], cancellationToken).ConfigureAwait(false);
        if (exit != 0) throw new JobTaskException($"The task bundle's git bundle could not be read ({OneLine(error)}): send it again, made with `git bundle create start.bundle {StartRef}`.");
        await GitProcess.RunAsync(top, ["checkout", "--quiet", "-b", WorkBranch, refs[^1]], where, cancellationToken).ConfigureAwait(false);
        // The agent's own commits (git in bash) need a name; the user's is not known here.
        await GitProcess.RunAsync(top, ["config", "user.name", "Plue task"], where, cancellationToken).ConfigureAwait(false);
        await GitProcess.RunAsync(top, ["config", "user.email", "plue@localhost"], where, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Each ref fetched as itself; a start bundle holding one other ref (a host's own name for the starting point, so
    /// sub-tasks bundled from one repository at once need no shared branch) gives it as <see cref="StartRef"/>.
    /// </summary>
    private static async Task<IEnumerable<string>> RefSpecsAsync(string top, string bundle, IReadOnlyList<string> refs, CancellationToken cancellationToken)
    {
        var (exit, output, _) = await GitProcess.TryRunAsync(top, ["bundle", "list-heads", bundle], cancellationToken).ConfigureAwait(false);
        var heads = exit == 0
            ? System.Text.Encoding.UTF8.GetString(output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).Select(p => p[1].Trim()).ToList()
            : [];
        return refs.Select(r => !heads.Contains(r) && r == StartRef && heads.Count == 1 ? $"{heads[0]}:{r}" : $"{r}:{r}");
    }

    /// <summary>The job's work as a bundle of <see cref="ResultRef"/> from the start; null when it changed nothing.</summary>
    public static async Task<string?> ResultAsync(string top, string file, CancellationToken cancellationToken)
    {
        const string where = "bundling the job's work";
        var result = await ContainerBundle.SnapshotAsync(top, "Plue: the sub-task's work", where, cancellationToken, always: false).ConfigureAwait(false);
        var start = (await GitProcess.RunAsync(top, ["rev-parse", StartRef], where, cancellationToken).ConfigureAwait(false)).Trim();
        if (result == start) return null;
        await GitProcess.RunAsync(top, ["update-ref", ResultRef, result], where, cancellationToken).ConfigureAwait(false);
        await GitProcess.RunAsync(top, ["bundle", "create", "--quiet", file, ResultRef, $"^{StartRef}"], where, cancellationToken).ConfigureAwait(false);
        return file;
    }

    /// <summary>The worktree as it is, saved: <see cref="StateRef"/> and the start, self-contained.</summary>
    public static async Task<string> StateAsync(string top, string file, CancellationToken cancellationToken)
    {
        const string where = "saving the job's state";
        var state = await ContainerBundle.SnapshotAsync(top, "Plue: the sub-task's saved state", where, cancellationToken).ConfigureAwait(false);
        await GitProcess.RunAsync(top, ["update-ref", StateRef, state], where, cancellationToken).ConfigureAwait(false);
        await GitProcess.RunAsync(top, ["bundle", "create", "--quiet", file, StartRef, StateRef], where, cancellationToken).ConfigureAwait(false);
        return file;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) is { Length: > 0 } line ? line.TrimEnd('.') : "no reason given";
}
