using System.Diagnostics;
using Plue.Agents.Hooks;
using Plue.Sandbox;
using Plue.Tests.Support;

namespace Plue.Tests.Agents.Hooks;

/// <summary>The one door an agent hook's command is started through: its environment, input, exit code and time limit.</summary>
public sealed class AgentHookRunnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("plue-hook-runner-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Dictionary<string, string?> SidecarEnvironment() => new(StringComparer.Ordinal)
    {
        ["PATH"] = Environment.GetEnvironmentVariable("PATH"),
        ["HOME"] = "/home/someone",
        ["MY_SERVICE_TOKEN"] = "loopback-token-for-the-sidecar-only",
        ["UNNAMED_SETTING"] = "not-for-children",
    };

    [Fact]
    public async Task RunAsync_GivesTheBuiltEnvironmentAndTheInput_InTheFolder_AndTellsTheExitCode()
    {
        var runner = new AgentHookRunner(SidecarEnvironment);

        var run = await runner.RunAsync("env; pwd; cat; echo problem >&2; exit 3", _folder, "{\"hook_event_name\":\"Stop\"}", TimeSpan.FromSeconds(30), SandboxPolicy.Off, CancellationToken.None);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("HOME=/home/someone", run.Stdout);
        Assert.Contains($"CLAUDE_PROJECT_DIR={_folder}", run.Stdout);
        Assert.Contains("{\"hook_event_name\":\"Stop\"}", run.Stdout);
        Assert.DoesNotContain("loopback-token-for-the-sidecar-only", run.Stdout);
        Assert.DoesNotContain("UNNAMED_SETTING", run.Stdout);
        Assert.Equal("problem\n", run.Stderr);
        Assert.False(run.TimedOut);
    }

    [Fact]
    public async Task RunAsync_PastItsLimit_TheHookAndWhatItStartedAreKilled()
    {
        var runner = new AgentHookRunner(SidecarEnvironment);
        var clock = Stopwatch.StartNew();

        var run = await runner.RunAsync("sleep 30 & echo $! > child.pid; sleep 30", _folder, "", TimeSpan.FromMilliseconds(500), SandboxPolicy.Off, CancellationToken.None);

        Assert.True(run.TimedOut);
        Assert.Null(run.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        var child = int.Parse(File.ReadAllText(Path.Combine(_folder, "child.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await EndedAsync(child), "the hook's background child was killed");
    }

    [BwrapFact]
    public async Task ASandboxedHook_OutlivesTheThreadThatStartedIt()
    {
        var runner = new AgentHookRunner(SidecarEnvironment);

        // Started from a thread that ends at once, as a pool thread that idles does: bwrap's --die-with-parent follows
        // the thread that started it, so a hook started there was killed with it.
        Task<AgentHookRun>? running = null;
        var thread = new Thread(() => running = runner.RunAsync("sleep 1; echo done", _folder, "", TimeSpan.FromSeconds(30), SandboxPolicy.WorkspaceWrite, CancellationToken.None));
        thread.Start();
        thread.Join();
        var run = await running!;

        Assert.Equal((0, "done\n"), (run.ExitCode, run.Stdout));
    }

    [BwrapFact]
    public async Task ASandboxedHook_ACommondirItWritesIntoTheRepositorysGit_IsRemovedAndSaid()
    {
        Directory.CreateDirectory(Path.Combine(_folder, ".git"));
        var runner = new AgentHookRunner(SidecarEnvironment);

        var run = await runner.RunAsync("echo /elsewhere > .git/commondir", _folder, "", TimeSpan.FromSeconds(30), SandboxPolicy.WorkspaceWrite, CancellationToken.None);

        Assert.Equal(0, run.ExitCode);
        Assert.False(File.Exists(Path.Combine(_folder, ".git", "commondir")), "the hook's commondir is still there");
        Assert.Contains("The sandbox removed", run.Stderr);
    }

    [Fact]
    public void NamedFiles_AreTheExistingFilesTheCommandNamesByFullPathOrFromTheHome()
    {
        var script = Path.Combine(_folder, "check.sh");
        File.WriteAllText(script, "exit 0");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var inHome = Directory.EnumerateFiles(home).FirstOrDefault();

        var named = AgentHookRunner.NamedFiles($"\"{script}\" --fast; cat {_folder}/missing.txt > /dev/null; echo $HOME/nothing-here" + (inHome is null ? "" : $" && cat ~/{Path.GetFileName(inHome)}"));

        Assert.Equal(inHome is null ? [script] : [script, inHome], named);
    }

    private static async Task<bool> EndedAsync(int pid)
    {
        for (var tries = 0; tries < 50; tries++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat).Contains(") Z ", StringComparison.Ordinal)) return true;
            await Task.Delay(100);
        }
        return false;
    }
}
