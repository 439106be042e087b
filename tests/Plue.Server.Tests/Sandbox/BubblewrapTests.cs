using Plue.Processes;
using Plue.Sandbox;

namespace Plue.Tests.Sandbox;

/// <summary>A policy as bubblewrap's arguments: the order of the mounts is the policy (a later mount wins).</summary>
public sealed class BubblewrapTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("plue-bwrap-args-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private SandboxPlaces Places(params string[] roots) => new()
    {
        Roots = roots,
        Hidden = [Path.Combine(_root, "plue-home")],
        Home = Path.Combine(_root, "user"),
    };

    [Fact]
    public void WorkspaceWrite_RootReadOnly_HomeHidden_PlueHomeHidden_WorkspaceBoundBackWritable_NoNetwork()
    {
        var workspace = Path.Combine(_root, "user", "ws");
        Directory.CreateDirectory(workspace);
        Directory.CreateDirectory(Path.Combine(_root, "plue-home"));
        var args = Bubblewrap.Arguments(SandboxPolicy.WorkspaceWrite, Places(workspace), workspace);
        var text = string.Join(' ', args);
        Assert.Contains("--die-with-parent --unshare-pid", text);
        Assert.Contains("--unshare-net", args);
        Assert.Contains("--ro-bind / / --dev /dev --proc /proc --tmpfs /tmp", text);
        var home = args.IndexOf(Path.Combine(_root, "user"));
        var plueHome = args.IndexOf(Path.Combine(_root, "plue-home"));
        var bound = args.IndexOf(workspace);
        Assert.Equal("--tmpfs", args[home - 1]);
        Assert.Equal("--tmpfs", args[plueHome - 1]);
        Assert.Equal("--bind", args[bound - 1]);
        Assert.True(home < bound && plueHome < bound, "the workspace is bound back after the home and the Plue home are hidden");
        Assert.Equal(["--chdir", workspace], args[^2..]);
    }

    [Fact]
    public void ReadOnly_BindsTheWorkspaceBackReadOnly()
    {
        var workspace = Path.Combine(_root, "ws");
        var args = Bubblewrap.Arguments(SandboxPolicy.ReadOnly, Places(workspace), null);
        Assert.Equal("--ro-bind", args[args.IndexOf(workspace) - 1]);
        Assert.DoesNotContain("--bind", args);
    }

    [Fact]
    public void HomeReadOnly_LeavesTheHomeButHidesThePlueHome()
    {
        Directory.CreateDirectory(Path.Combine(_root, "plue-home"));
        var args = Bubblewrap.Arguments(SandboxPolicy.WorkspaceWrite with { HideHome = false }, Places(), null);
        Assert.DoesNotContain(Path.Combine(_root, "user"), args);
        Assert.Equal("--tmpfs", args[args.IndexOf(Path.Combine(_root, "plue-home")) - 1]);
    }

    [Fact]
    public void ARootHoldingThePlueHome_IsNeverBoundBack_AWorktreeInsideIt_Is_WithItsRepositorysGitWritable()
    {
        var plueHome = Path.Combine(_root, "plue-home");
        var repo = Path.Combine(_root, "repo");
        var worktree = Path.Combine(plueHome, "worktrees", "t1");
        Directory.CreateDirectory(Path.Combine(repo, ".git", "worktrees", "t1"));
        Directory.CreateDirectory(worktree);
        File.WriteAllText(Path.Combine(worktree, ".git"), $"gitdir: {Path.Combine(repo, ".git", "worktrees", "t1")}\n");
        var args = Bubblewrap.Arguments(SandboxPolicy.WorkspaceWrite, Places(_root, worktree), null);
        Assert.DoesNotContain(_root, args);
        Assert.Equal("--bind", args[args.IndexOf(worktree) - 1]);
        Assert.Equal("--bind", args[args.IndexOf(Path.Combine(repo, ".git")) - 1]);
        Assert.True(args.IndexOf(plueHome) < args.IndexOf(worktree));
    }

    [Fact]
    public void WorkspaceWrite_ARepositorysConfigAndHooks_AreBoundReadOnlyLast_ItsGitPinned_NothingAfterOpensThem()
    {
        var workspace = Path.Combine(_root, "ws");
        var dotGit = Path.Combine(workspace, ".git");
        Directory.CreateDirectory(Path.Combine(dotGit, "hooks"));
        File.WriteAllText(Path.Combine(dotGit, "config"), "");
        // A writable path the user allowed over the workspace comes before them: it would bind the repository writable again.
        var args = Bubblewrap.Arguments(SandboxPolicy.WorkspaceWrite with { WritablePaths = [workspace] }, Places(workspace), null);
        var pinned = args.LastIndexOf(dotGit);
        Assert.Equal("--bind", args[pinned - 2]);
        Assert.True(args.LastIndexOf(workspace) < pinned);
        foreach (var control in new[] { "config", "hooks", "config.worktree" }.Select(name => Path.Combine(dotGit, name)))
        {
            Assert.Equal("--ro-bind-try", args[args.IndexOf(control) - 1]);
            Assert.True(pinned < args.IndexOf(control), $"{control} is bound read-only over the pinned .git");
        }
        // Read-only: nothing pinned writable.
        Assert.DoesNotContain("--bind", Bubblewrap.Arguments(SandboxPolicy.ReadOnly, Places(workspace), null));
    }

    [Fact]
    public void WorkspaceWrite_ATaskWorktree_ItsGitFileAndItsSourcesConfigAndHooks_AreReadOnly_AfterTheSourcesGitIsBoundWritable()
    {
        var repoGit = Path.Combine(_root, "repo", ".git");
        var linked = Path.Combine(repoGit, "worktrees", "t1");
        var worktree = Path.Combine(_root, "wt");
        Directory.CreateDirectory(linked);
        Directory.CreateDirectory(worktree);
        File.WriteAllText(Path.Combine(worktree, ".git"), $"gitdir: {linked}\n");
        var args = Bubblewrap.Arguments(SandboxPolicy.WorkspaceWrite, Places(worktree), null);
        var gitBound = args.IndexOf(repoGit);
        Assert.Equal("--bind", args[gitBound - 1]);
        foreach (var control in new[] { Path.Combine(worktree, ".git"), Path.Combine(linked, "commondir"), Path.Combine(linked, "gitdir"),
            Path.Combine(linked, "config.worktree"), Path.Combine(repoGit, "config"), Path.Combine(repoGit, "hooks") })
        {
            Assert.Equal("--ro-bind-try", args[args.IndexOf(control) - 1]);
            Assert.True(gitBound < args.IndexOf(control));
        }
    }

    [Fact]
    public void WorkspaceWrite_ARepositorysCommondir_AndTheConfigAndHooksOfTheFolderItNames_AreReadOnly()
    {
        // git reads a .git folder's config from where its commondir says: that file and that folder's controls.
        var workspace = Path.Combine(_root, "ws");
        var dotGit = Path.Combine(workspace, ".git");
        var elsewhere = Path.Combine(_root, "elsewhere");
        Directory.CreateDirectory(dotGit);
        Directory.CreateDirectory(elsewhere);
        File.WriteAllText(Path.Combine(dotGit, "commondir"), "../../elsewhere\n");
        var args = Bubblewrap.Arguments(SandboxPolicy.WorkspaceWrite, Places(workspace), null);
        var pinned = args.LastIndexOf(dotGit);
        foreach (var control in new[] { Path.Combine(dotGit, "commondir"), Path.Combine(elsewhere, "config"), Path.Combine(elsewhere, "hooks") })
        {
            Assert.Equal("--ro-bind-try", args[args.IndexOf(control) - 1]);
            Assert.True(pinned < args.IndexOf(control), $"{control} is bound read-only after the pinned .git");
        }
    }

    [Fact]
    public void WorkspaceWrite_AWorktreeWhoseCommondirNamesAnotherFolder_ThatFolderIsItsRepository_WritableForCommits_ItsConfigAndHooksReadOnly()
    {
        var linked = Path.Combine(_root, "repo", ".git", "worktrees", "t1");
        var common = Path.Combine(_root, "common");
        var worktree = Path.Combine(_root, "wt");
        Directory.CreateDirectory(linked);
        Directory.CreateDirectory(common);
        Directory.CreateDirectory(worktree);
        File.WriteAllText(Path.Combine(worktree, ".git"), $"gitdir: {linked}\n");
        File.WriteAllText(Path.Combine(linked, "commondir"), common + "\n");
        var args = Bubblewrap.Arguments(SandboxPolicy.WorkspaceWrite, Places(worktree), null);
        Assert.Equal("--bind", args[args.IndexOf(common) - 1]);
        Assert.DoesNotContain(Path.Combine(_root, "repo", ".git"), args);
        foreach (var control in new[] { Path.Combine(common, "config"), Path.Combine(common, "hooks") })
            Assert.Equal("--ro-bind-try", args[args.IndexOf(control) - 1]);
    }

    [Fact]
    public void Reading_AWorkspaceHoldingThePlueHome_IsBoundBackReadOnly_ThePlueHomeHiddenAgainInIt_NoNetwork()
    {
        // ripgrep over a workspace the Plue home lies in: the workspace is searched, the Plue home is not.
        var plueHome = Path.Combine(_root, "plue-home");
        Directory.CreateDirectory(plueHome);
        var allowList = SandboxPolicy.WorkspaceWrite with { Network = SandboxNetwork.AllowList, AllowedHosts = ["example.com"], WritablePaths = [Path.Combine(_root, "out")] };
        var args = Bubblewrap.Arguments(allowList.Reading, Places(_root), null);
        var bound = args.IndexOf(_root);
        Assert.Equal("--ro-bind", args[bound - 1]);
        Assert.Equal("--tmpfs", args[args.LastIndexOf(plueHome) - 1]);
        Assert.True(bound < args.LastIndexOf(plueHome), "the Plue home is hidden again after the workspace is bound back");
        Assert.Contains("--unshare-net", args);
        Assert.DoesNotContain("--bind", args);
        Assert.DoesNotContain("--bind-try", args);
        // Writable, a root holding the Plue home still stays hidden.
        Assert.DoesNotContain(_root, Bubblewrap.Arguments(SandboxPolicy.WorkspaceWrite, Places(_root), null));
        Assert.Same(SandboxPolicy.Off, SandboxPolicy.Off.Reading);
    }

    [Fact]
    public void Writing_TheSidecarsGitForATask_WritesOnlyItsPlaces_ReadsItsSource_NoNetwork_WhateverThePolicyLetsTheAgentDo()
    {
        // A read-only task on an allow-list: its worktree's git still writes the task's folder and the source's .git.
        var plueHome = Path.Combine(_root, "plue-home");
        var folder = Path.Combine(plueHome, "worktrees", "t1");
        var source = Path.Combine(_root, "user", "ws");
        var sourceGit = Path.Combine(source, ".git");
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(Path.Combine(sourceGit, "hooks"));
        var policy = SandboxPolicy.ReadOnly with { Network = SandboxNetwork.AllowList, AllowedHosts = ["example.com"], WritablePaths = [Path.Combine(_root, "out")] };
        var args = Bubblewrap.Arguments(policy.Writing, Places(folder, sourceGit) with { ReadOnly = [source] }, source);
        Assert.Contains("--unshare-net", args);
        Assert.DoesNotContain(Path.Combine(_root, "out"), args);
        Assert.Equal("--tmpfs", args[args.IndexOf(plueHome) - 1]);
        Assert.Equal("--tmpfs", args[args.IndexOf(Path.Combine(_root, "user")) - 1]);
        Assert.Equal("--ro-bind-try", args[args.IndexOf(source) - 1]);
        Assert.Equal("--bind", args[args.IndexOf(folder) - 1]);
        Assert.Equal("--bind", args[args.IndexOf(sourceGit) - 1]);
        Assert.True(args.IndexOf(source) < args.IndexOf(sourceGit), "the source's .git is bound writable over the source bound read-only");
        Assert.Same(SandboxPolicy.Off, SandboxPolicy.Off.Writing);
    }

    [Fact]
    public void WorkspaceWrite_ADotGitThatIsASymlink_IsNotPinned_TheConfigAndHooksOfItsTargetAreReadOnly()
    {
        var workspace = Path.Combine(_root, "ws");
        var target = Path.Combine(_root, "elsewhere.git");
        Directory.CreateDirectory(workspace);
        Directory.CreateDirectory(Path.Combine(target, "hooks"));
        Directory.CreateSymbolicLink(Path.Combine(workspace, ".git"), target);
        var args = Bubblewrap.Arguments(SandboxPolicy.WorkspaceWrite, Places(workspace), null);
        Assert.DoesNotContain(target, args); // its target is never bound writable
        foreach (var control in new[] { "config", "hooks", "commondir" }.Select(name => Path.Combine(target, name)))
            Assert.Equal("--ro-bind-try", args[args.IndexOf(control) - 1]);
    }

    [Fact]
    public void AReadableOrWritablePlaceHoldingThePlueHome_IsNeverBoundBack_OneBesideIt_Is()
    {
        var beside = Path.Combine(_root, "agent");
        Directory.CreateDirectory(beside);
        Directory.CreateDirectory(Path.Combine(_root, "plue-home"));
        var args = Bubblewrap.Arguments(SandboxPolicy.WorkspaceWrite, Places() with { ReadOnly = [_root, beside], Writable = [_root] }, null);
        // _root holds the Plue home: bound back after the home's tmpfs, it would show the vault again.
        Assert.DoesNotContain(_root, args);
        Assert.Equal("--ro-bind-try", args[args.IndexOf(beside) - 1]);
    }

    [Fact]
    public void Off_RunsTheProgramAsItIs()
    {
        var (program, arguments, _) = ChildLauncher.Wrap(new ChildCommand { Program = "git", Arguments = ["status"], Environment = _ => { }, Setsid = "/usr/bin/setsid" });
        Assert.Equal("/usr/bin/setsid", program);
        Assert.Equal(["git", "status"], arguments);
    }

    [Theory]
    [InlineData("example.test", "example.test", 443, true)]
    [InlineData("example.test:8080", "example.test", 443, false)]
    [InlineData("example.test:8080", "example.test", 8080, true)]
    [InlineData("*.example.test", "api.example.test", 443, true)]
    [InlineData("*.example.test", "example.test.evil", 443, false)]
    [InlineData("example.test", "other.test", 443, false)]
    public void Proxy_AllowsOnlyTheListedHosts(string entry, string host, int port, bool allowed) =>
        Assert.Equal(allowed, SandboxProxy.Allows([entry], host, port));

    [Fact]
    public void Narrow_AChildTightensEveryAxis_NeverWidensOne()
    {
        var parent = SandboxPolicy.ReadOnly with { Network = SandboxNetwork.AllowList, AllowedHosts = ["a.test"] };
        var wider = SandboxPolicy.Off with { AllowedHosts = ["b.test"], WritablePaths = ["/srv"] };
        var narrowed = SandboxPolicy.Narrow(parent, wider);
        Assert.Equal(SandboxFiles.ReadOnly, narrowed.Files);
        Assert.Equal(SandboxNetwork.AllowList, narrowed.Network);
        Assert.Equal(["a.test"], narrowed.AllowedHosts);
        Assert.Empty(narrowed.WritablePaths);
        Assert.True(narrowed.HideHome);
        var tighter = SandboxPolicy.Narrow(SandboxPolicy.WorkspaceWrite, SandboxPolicy.ReadOnly);
        Assert.Equal(SandboxFiles.ReadOnly, tighter.Files);
    }

    [Fact]
    public void Reaching_AddsHostsToAnAllowList_AndLeavesNoNetworkAsItIsWhenGivenNone()
    {
        Assert.Same(SandboxPolicy.WorkspaceWrite, SandboxPolicy.WorkspaceWrite.Reaching([]));
        Assert.Same(SandboxPolicy.WorkspaceWrite, SandboxPolicy.WorkspaceWrite.Reaching([""]));
        var reaching = SandboxPolicy.WorkspaceWrite.Reaching(["api.test", "API.test"]);
        Assert.Equal(SandboxNetwork.AllowList, reaching.Network);
        Assert.Equal(["api.test"], reaching.AllowedHosts);
        Assert.Same(reaching, reaching.Reaching(["api.test"]));
        Assert.Equal(SandboxNetwork.Open, SandboxPolicy.Off.Reaching(["api.test"]).Network);
    }

    [Fact]
    public void Denials_NameThePathsOutsideTheWorkspace_AndTheRefusedHosts()
    {
        const string output = "touch: cannot touch '/etc/x': Read-only file system\nbash: /ws/ok: Permission denied\nbash: /usr/y: Read-only file system\n";
        var denials = SandboxDenials.Find(output, ["evil.test:443"], ["/ws"]);
        Assert.Equal([new SandboxDenial("path", "/etc/x"), new SandboxDenial("path", "/usr/y"), new SandboxDenial("host", "evil.test:443")], denials);
        Assert.Contains("denied: /etc/x (outside the workspace); /usr/y (outside the workspace); connecting to evil.test:443.", SandboxDenials.Note(SandboxPolicy.WorkspaceWrite, denials));
    }
}
