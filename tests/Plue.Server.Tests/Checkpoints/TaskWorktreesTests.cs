using Microsoft.Extensions.Logging.Abstractions;
using Plue.Checkpoints;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Support;
using Plue.Workspace;
using Xunit;

namespace Plue.Tests.Checkpoints;

/// <summary>Task worktrees over a real git repository: made under the home, changes back as a patch, removed after.</summary>
public sealed class TaskWorktreesTests : IDisposable
{
    private readonly TempDir _home = new();
    private readonly TempDir _workspace = new();
    private readonly WorkspaceContext _session = new();
    private readonly TaskWorktrees _worktrees;

    public TaskWorktreesTests()
    {
        _session.Initialize(_home.Path, [_workspace.Path], trusted: true);
        _worktrees = new TaskWorktrees(_session, NullLogger<TaskWorktrees>.Instance);
        Write(_workspace.Path, "f.txt", "one\ntwo\nthree\n");
        Write(_workspace.Path, "other.txt", "other\n");
        GitRepo.Init(_workspace.Path);
    }

    public void Dispose()
    {
        _home.Dispose();
        _workspace.Dispose();
    }

    [Fact]
    public async Task Create_UnderTheHome_HoldsHeadAndTheFolderUncommittedState()
    {
        Write(_workspace.Path, "other.txt", "other, not committed\n");
        Write(_workspace.Path, "new.txt", "untracked\n");

        var worktree = await _worktrees.CreateAsync("task1", _workspace.Path, default);

        Assert.StartsWith(Path.Combine(_home.Path, "worktrees", "task1"), worktree.Folder, StringComparison.Ordinal);
        Assert.Equal("other, not committed\n", Read(worktree.Folder, "other.txt"));
        Assert.Equal("untracked\n", Read(worktree.Folder, "new.txt"));
        Assert.Equal(["f.txt", "new.txt", "other.txt"], Directory.GetFiles(_workspace.Path).Select(Path.GetFileName).Order());
        Assert.Contains(worktree.Top, GitRepo.Worktrees(_workspace.Path));
        // The base is the folder as it was: only what the task does is its change.
        Assert.Empty(await _worktrees.ChangedAsync(worktree, default));
    }

    [Fact]
    public async Task Apply_Changes_ReachTheFolder_TheUserIndexUntouched_AndTheWorktreeIsRemoved()
    {
        Write(_workspace.Path, "other.txt", "the user's own edit\n");
        var worktree = await _worktrees.CreateAsync("task1", _workspace.Path, default);
        Write(worktree.Folder, "f.txt", "one\nTWO\nthree\n");
        Write(worktree.Folder, "made.txt", "made\n");

        var settled = await _worktrees.SettleAsync("task1", default);
        Assert.Equal(["A made.txt", "M f.txt"], settled!.Changes!.Order(StringComparer.Ordinal));
        var changes = await _worktrees.ChangesAsync("task1", default);
        Assert.Contains("+TWO", changes.Patch, StringComparison.Ordinal);
        Assert.Equal(worktree.Folder, changes.Worktree);

        var applied = await _worktrees.ApplyAsync("task1", default);

        Assert.Empty(applied.Conflicts);
        Assert.Equal(["f.txt", "made.txt"], applied.Files.Select(f => f.Path).Order());
        Assert.Equal("one\nTWO\nthree\n", Read(_workspace.Path, "f.txt"));
        Assert.Equal("made\n", Read(_workspace.Path, "made.txt"));
        Assert.Equal("the user's own edit\n", Read(_workspace.Path, "other.txt"));
        Assert.Equal("", GitRepo.Run(_workspace.Path, "diff", "--cached", "--name-only"));
        Assert.False(Directory.Exists(Path.Combine(_home.Path, "worktrees", "task1")));
        Assert.Equal([_workspace.Path], GitRepo.Worktrees(_workspace.Path).Select(Path.GetFullPath));
        Assert.Null(_worktrees.Find("task1"));
    }

    [Fact]
    public async Task Apply_TheSameRegionChangedBySiblings_TheFirstIsClean_TheSecondLeavesConflictMarkers()
    {
        var first = await _worktrees.CreateAsync("task1", _workspace.Path, default);
        var second = await _worktrees.CreateAsync("task2", _workspace.Path, default);
        Write(first.Folder, "f.txt", "one\nfirst\nthree\n");
        Write(second.Folder, "f.txt", "one\nsecond\nthree\n");

        Assert.Empty((await _worktrees.ApplyAsync("task1", default)).Conflicts);
        var conflicted = await _worktrees.ApplyAsync("task2", default);

        Assert.Equal(["f.txt"], conflicted.Conflicts);
        var text = Read(_workspace.Path, "f.txt");
        Assert.Contains("<<<<<<<", text, StringComparison.Ordinal);
        Assert.Contains("first", text, StringComparison.Ordinal);
        Assert.Contains("second", text, StringComparison.Ordinal);
        // What a merge editor needs, the file itself being the result: the ancestor, the folder's version and the task's.
        var versions = Assert.Single(conflicted.ConflictVersions);
        Assert.Equal(("f.txt", "one\ntwo\nthree\n", "one\nfirst\nthree\n", "one\nsecond\nthree\n"), (versions.Path, versions.Base, versions.Current, versions.Incoming));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_home.Path, "worktrees")));
        Assert.Single(GitRepo.Worktrees(_workspace.Path));
    }

    [Fact]
    public async Task Discard_And_SettleWithoutChanges_RemoveTheWorktree_TheFolderUntouched()
    {
        var discarded = await _worktrees.CreateAsync("task1", _workspace.Path, default);
        Write(discarded.Folder, "f.txt", "dropped\n");
        await _worktrees.CreateAsync("task2", _workspace.Path, default);

        await _worktrees.RemoveAsync("task1", default);
        Assert.Null(await _worktrees.SettleAsync("task2", default));

        Assert.Equal("one\ntwo\nthree\n", Read(_workspace.Path, "f.txt"));
        Assert.Empty(_worktrees.Tasks());
        Assert.Single(GitRepo.Worktrees(_workspace.Path));
        var error = await Assert.ThrowsAsync<RpcException>(() => _worktrees.ChangesAsync("task1", default));
        Assert.Equal(PlueErrorCodes.NotFound, error.Code);
    }

    /// <summary>
    /// git's worktree add and prune read every worktree's notes in the repository, so one made or pruned by a sibling
    /// at that moment was read half-written and the add failed ("failed to read .git/worktrees/tree3/commondir"): the
    /// flake of an orchestrator's writers in the full suite. Many made and removed at once, over rounds, all succeed.
    /// </summary>
    [Fact]
    public async Task ManyTasksAtOnce_MadeWhileOthersAreRemoved_EachIsMade_AndGitListsExactlyTheLiving()
    {
        const int atOnce = 8;
        string Id(int round, int i) => $"r{round}-t{i}";
        for (var round = 0; round < 6; round++)
        {
            var r = round;
            var made = Enumerable.Range(0, atOnce).Select(i => _worktrees.CreateAsync(Id(r, i), _workspace.Path, default));
            var removed = r == 0 ? [] : Enumerable.Range(0, atOnce).Select(i => _worktrees.RemoveAsync(Id(r - 1, i), default));
            await Task.WhenAll([.. made, .. removed]);
        }

        Assert.Equal(Enumerable.Range(0, atOnce).Select(i => Id(5, i)).Order(), _worktrees.Tasks().Order());
        Assert.Equal(atOnce + 1, GitRepo.Worktrees(_workspace.Path).Count);
        foreach (var i in Enumerable.Range(0, atOnce)) Assert.Equal("one\ntwo\nthree\n", Read(_worktrees.Find(Id(5, i))!.Folder, "f.txt"));
    }

    [Fact]
    public async Task Remove_AWorktreeACrashLeftHalfMade_IsDeleted_AndGitForgetsIt()
    {
        var worktree = await _worktrees.CreateAsync("task1", _workspace.Path, default);
        // The crash came before its record was written.
        File.Delete(Path.Combine(_home.Path, "worktrees", "task1", "worktree.json"));
        Assert.Null(_worktrees.Find("task1"));

        await _worktrees.RemoveAsync("task1", default);

        Assert.False(Directory.Exists(worktree.Top));
        Assert.Single(GitRepo.Worktrees(_workspace.Path));
    }

    [Fact]
    public async Task Obstacle_AFolderWithoutGitOrWithoutACommit_SaysWhy()
    {
        using var plain = new TempDir();
        Assert.Contains("is not in a git repository", await _worktrees.ObstacleAsync(plain.Path, default), StringComparison.Ordinal);
        GitRepo.Run(plain.Path, "init", "--quiet");
        Assert.Contains("has no commit yet", await _worktrees.ObstacleAsync(plain.Path, default), StringComparison.Ordinal);
        Assert.Null(await _worktrees.ObstacleAsync(_workspace.Path, default));
    }

    [Fact]
    public async Task ARepositoryConfigNamingCommands_FsmonitorFiltersMergeDriversHooks_NeverRunsThem()
    {
        // What an agent could write into .git where it was not sandboxed: each command leaves a marker if it ever runs.
        using var markers = new TempDir();
        string Touch(string name) => $"touch '{Path.Combine(markers.Path, name)}'";
        var settings = new[]
        {
            ("core.fsmonitor", Touch("fsmonitor") + "; exit 1"),
            ("filter.evil.clean", Touch("clean") + "; cat"), ("filter.evil.smudge", Touch("smudge") + "; cat"), ("filter.evil.required", "true"),
            ("merge.evil.driver", Touch("merge") + "; exit 1"),
            ("diff.evil.command", Touch("diff")), ("diff.evil.textconv", Touch("textconv") + "; cat"),
        };
        foreach (var (key, value) in settings) GitRepo.Run(_workspace.Path, "config", key, value);
        File.WriteAllText(Path.Combine(_workspace.Path, ".git", "info", "attributes"), "* filter=evil merge=evil diff=evil\n");
        var hook = Path.Combine(_workspace.Path, ".git", "hooks", "post-index-change");
        File.WriteAllText(hook, "#!/bin/sh\n" + Touch("hook") + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Write(_workspace.Path, "other.txt", "the user's own edit\n");

        // Made, read, applied cleanly, and applied over a sibling's change (a three-way merge).
        var first = await _worktrees.CreateAsync("task1", _workspace.Path, default);
        var second = await _worktrees.CreateAsync("task2", _workspace.Path, default);
        Write(first.Folder, "f.txt", "one\nfirst\nthree\n");
        Write(second.Folder, "f.txt", "one\nsecond\nthree\n");
        Assert.Contains("+first", (await _worktrees.ChangesAsync("task1", default)).Patch, StringComparison.Ordinal);
        Assert.Empty((await _worktrees.ApplyAsync("task1", default)).Conflicts);
        Assert.Equal(["f.txt"], (await _worktrees.ApplyAsync("task2", default)).Conflicts);

        Assert.Contains("<<<<<<<", Read(_workspace.Path, "f.txt"), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(markers.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ANestedRepositorysConfigNamingAFilter_NeverRuns_ItsWorkTreeIsNotEntered()
    {
        // A repository the agent made inside the workspace and committed as a gitlink: its own .git/config is its to
        // write. The sidecar's `git diff HEAD` would check it for changes by running git there, with that config.
        using var markers = new TempDir();
        var nested = Path.Combine(_workspace.Path, "sub");
        Directory.CreateDirectory(nested);
        Write(nested, "x.txt", "x\n");
        GitRepo.Init(nested);
        GitRepo.Run(nested, "config", "filter.evil.clean", $"touch '{Path.Combine(markers.Path, "clean")}'; cat");
        Write(nested, ".gitattributes", "* filter=evil\n");
        GitRepo.Run(_workspace.Path, "add", "sub");
        GitRepo.Run(_workspace.Path, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "nested");
        // Same content, newer time: git must read the file again (through the filter) to know it is unchanged.
        File.SetLastWriteTimeUtc(Path.Combine(nested, "x.txt"), DateTime.UtcNow.AddMinutes(1));

        var worktree = await _worktrees.CreateAsync("task1", _workspace.Path, default);

        Assert.True(Directory.Exists(worktree.Folder));
        Assert.Empty(Directory.GetFiles(markers.Path).Select(Path.GetFileName));
    }

    private static void Write(string folder, string name, string text) => File.WriteAllText(Path.Combine(folder, name), text);

    private static string Read(string folder, string name) => File.ReadAllText(Path.Combine(folder, name));
}
