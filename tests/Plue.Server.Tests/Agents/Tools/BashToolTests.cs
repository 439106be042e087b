using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Shell;
using Plue.Sandbox;
using Plue.Tests.Support;

namespace Plue.Tests.Agents.Tools;

/// <summary>bash as real /bin/bash processes in a real temporary workspace.</summary>
public sealed class BashToolTests
{
    [Fact]
    public async Task Bash_Command_RunsInTheFirstWorkspaceFolderAndReportsTheExitCode()
    {
        using var ws = new ToolWorkspace();

        var result = await ws.RunAsync(new BashTool(), """{"command":"pwd; echo to-stderr >&2; exit 3"}""");

        Assert.False(result.IsError, result.Output);
        Assert.Contains(ws.Folder + "\n", result.Output);
        Assert.Contains("to-stderr", result.Output);
        Assert.EndsWith("[exit code 3]", result.Output);
    }

    [Fact]
    public async Task Bash_ErrorsAndOutput_ComeBackInTheOrderWritten()
    {
        // Read from two pipes, a message written in parts was split by the next command's output ("touch: cannot touch
        // 'x'ran\n: Read-only file system"): 300 alternations of the two streams come back exactly interleaved.
        using var ws = new ToolWorkspace();

        var result = await ws.RunAsync(new BashTool(), """{"command":"for i in $(seq 1 300); do printf 'E%s-' $i >&2; printf 'O%s-' $i; done"}""");

        Assert.Equal(string.Concat(Enumerable.Range(1, 300).Select(i => $"E{i}-O{i}-")) + "\n[exit code 0]", result.Output);
    }

    [Fact]
    public async Task Bash_CommandReadingInput_GetsEndOfFileInsteadOfHanging()
    {
        using var ws = new ToolWorkspace();

        var result = await ws.RunAsync(new BashTool(), """{"command":"cat; echo done"}""", bashTimeoutMs: 30_000);

        Assert.Equal("done\n[exit code 0]", result.Output);
    }

    [Fact]
    public async Task Bash_Timeout_KillsTheCommandAndItsGrandchild()
    {
        using var ws = new ToolWorkspace();
        // The subshell is a child of bash and sleep its child: a grandchild of the process the tool started.
        var command = "( sleep 300 & echo $! > grandchild.pid; wait ); echo never";

        var result = await ws.RunAsync(new BashTool(), $$"""{"command":"{{command}}"}""", bashTimeoutMs: 2000);

        Assert.True(result.IsError);
        Assert.Contains("Timed out after 2000 ms", result.Output);
        Assert.DoesNotContain("never", result.Output);
        await AssertGoneAsync(ReadPid(ws.PathOf("grandchild.pid")));
    }

    [Fact]
    public async Task Bash_Interrupt_KillsTheTreeAndThrowsCancellation()
    {
        using var ws = new ToolWorkspace();
        using var interrupt = new CancellationTokenSource();
        var command = "( sleep 300 & echo $! > grandchild.pid; wait ); echo never";

        var run = ws.RunAsync(new BashTool(), $$"""{"command":"{{command}}"}""", cancellationToken: interrupt.Token);
        await WaitForFileAsync(ws.PathOf("grandchild.pid"));
        await interrupt.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await AssertGoneAsync(ReadPid(ws.PathOf("grandchild.pid")));
    }

    [Fact]
    public async Task Bash_BackgroundProcessHoldingTheOutput_IsStoppedAndTheCallReturns()
    {
        using var ws = new ToolWorkspace();

        var result = await ws.RunAsync(new BashTool(), """{"command":"sleep 300 & echo $! > background.pid; echo started"}""", bashTimeoutMs: 60_000);

        Assert.False(result.IsError, result.Output);
        Assert.StartsWith("started\n", result.Output);
        Assert.Contains("left running in the background", result.Output);
        Assert.EndsWith("[exit code 0]", result.Output);
        await AssertGoneAsync(ReadPid(ws.PathOf("background.pid")));
    }

    [Fact]
    public async Task Bash_LongOutput_KeepsTheStartAndTheEndAndSaysWhatWasLeftOut()
    {
        using var ws = new ToolWorkspace();

        var result = await ws.RunAsync(new BashTool(), """{"command":"for i in $(seq 1 10000); do echo \"line $i\"; done"}""");

        Assert.StartsWith("line 1\nline 2\n", result.Output);
        Assert.Contains("line 10000\n[exit code 0]", result.Output);
        Assert.Contains("characters of output omitted", result.Output);
        Assert.DoesNotContain("line 5000\n", result.Output);
        Assert.True(result.Output.Length < BashTool.MaxOutputChars + 200, $"{result.Output.Length} characters came back");
    }

    [Fact]
    public async Task Bash_Environment_CarriesNoSecretOfTheSidecar()
    {
        using var ws = new ToolWorkspace();
        var sidecarEnvironment = new Dictionary<string, string?>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH"),
            ["PLUE_VAULT_KEY"] = "vault-key-value-1",
            ["PLUE_HOME"] = ws.Home,
            ["ANTHROPIC_API_KEY"] = "anthropic-value-2",
            ["OPENAI_API_KEY"] = "openai-value-3",
            ["OPENROUTER_API_KEY"] = "openrouter-value-4",
            ["ANTHROPIC_AUTH_TOKEN"] = "auth-token-value-5",
            ["HF_TOKEN"] = "hf-value-6",
            ["SCW_SECRET_KEY"] = "scw-value-7",
            ["AWS_BEARER_TOKEN_BEDROCK"] = "bedrock-value-8",
            ["DATABASE_URL"] = "postgres://app:db-password-9@127.0.0.1/app",
            ["SOMETHING_ELSE"] = "not-named-10",
            ["PLUE_CHILD_ENV"] = "MY_SETTING",
            ["MY_SETTING"] = "kept",
        };
        var tool = new BashTool(() => sidecarEnvironment);

        var result = await ws.RunAsync(tool, """{"command":"env"}""");

        Assert.Contains("MY_SETTING=kept", result.Output);
        // Only what is named gets through: the basics (PATH) and what PLUE_CHILD_ENV lists; a secret by any name stays out.
        foreach (var (name, value) in sidecarEnvironment.Where(v => v.Key is not ("PATH" or "MY_SETTING")))
        {
            Assert.DoesNotContain(name + "=", result.Output);
            if (name != "PLUE_CHILD_ENV") Assert.DoesNotContain(value!, result.Output);
        }
    }

    [Fact]
    public async Task Bash_LongOutput_ACredentialSplitWhereTheOutputIsCut_IsScrubbedWhole()
    {
        using var ws = new ToolWorkspace();
        const string token = "tok-secret-value-4242-abcdefgh";
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH"),
            ["PLUE_CHILD_ENV"] = "DEPLOY_TOKEN",
            ["DEPLOY_TOKEN"] = token,
        };
        // The token straddles both cuts: the end of the first 15,000 characters and the start of the last 15,000.
        const string command = @"head -c 14990 /dev/zero | tr '\0' x; printf %s ""$DEPLOY_TOKEN""; head -c 40000 /dev/zero | tr '\0' y; "
            + @"printf %s ""$DEPLOY_TOKEN""; head -c 14990 /dev/zero | tr '\0' z";

        var result = await ws.RunAsync(new BashTool(() => environment), $"{{\"command\":{System.Text.Json.JsonSerializer.Serialize(command)}}}");

        Assert.Contains("characters of output omitted", result.Output);
        Assert.Contains("xxxxxxxxxx", result.Output);
        Assert.Contains("zzzzzzzzzz", result.Output);
        Assert.DoesNotContain(token[..10], result.Output);
        Assert.DoesNotContain(token[^10..], result.Output);
        Assert.True(result.Output.Length < BashTool.MaxOutputChars + 200, $"{result.Output.Length} characters came back");
    }

    // Sandboxed: the command's tree lives in bwrap's pid namespace, so its processes are found by a unique argument
    // (the pids it could write are the namespace's own).

    [BwrapFact]
    public async Task Sandboxed_ACommondirWrittenIntoTheRepositorysGit_IsRemovedAfterTheCommand_AndSaid()
    {
        using var ws = new ToolWorkspace();
        Directory.CreateDirectory(ws.PathOf(".git"));
        Directory.CreateDirectory(ws.PathOf("evil"));

        var result = await ws.RunAsync(new BashTool(), $$"""{"command":"printf '%s\\n' {{ws.PathOf("evil")}} > .git/commondir; echo wrote=$?"}""", sandbox: SandboxPolicy.WorkspaceWrite);

        Assert.Contains("wrote=0", result.Output);
        Assert.False(File.Exists(ws.PathOf(".git/commondir")));
        Assert.Contains($"[The sandbox removed {ws.PathOf(".git/commondir")}: with it git would read the repository's config", result.Output);
    }

    [BwrapFact]
    public async Task Sandboxed_Timeout_KillsTheCommandAndItsGrandchild()
    {
        using var ws = new ToolWorkspace();
        var sleep = UniqueSleep();

        var result = await ws.RunAsync(new BashTool(), $$"""{"command":"( sleep {{sleep}} & wait ); echo never"}""", bashTimeoutMs: 2000, sandbox: SandboxPolicy.WorkspaceWrite);

        Assert.True(result.IsError);
        Assert.Contains("Timed out after 2000 ms", result.Output);
        Assert.DoesNotContain("never", result.Output);
        await AssertNoneLeftAsync(sleep);
    }

    [BwrapFact]
    public async Task Sandboxed_Interrupt_KillsTheTreeAndThrowsCancellation()
    {
        using var ws = new ToolWorkspace();
        using var interrupt = new CancellationTokenSource();
        var sleep = UniqueSleep();

        var run = ws.RunAsync(new BashTool(), $$"""{"command":"( sleep {{sleep}} & wait ); echo never"}""", cancellationToken: interrupt.Token, sandbox: SandboxPolicy.WorkspaceWrite);
        for (var i = 0; i < 200 && Sleeping(sleep).Count == 0; i++) await Task.Delay(50);
        Assert.NotEmpty(Sleeping(sleep));
        await interrupt.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await AssertNoneLeftAsync(sleep);
    }

    [BwrapFact]
    public async Task Sandboxed_BackgroundProcess_EndsWithTheCommand_AndTheCallReturns()
    {
        using var ws = new ToolWorkspace();
        var sleep = UniqueSleep();

        var result = await ws.RunAsync(new BashTool(), $$"""{"command":"sleep {{sleep}} & echo started"}""", bashTimeoutMs: 60_000, sandbox: SandboxPolicy.WorkspaceWrite);

        Assert.False(result.IsError, result.Output);
        Assert.StartsWith("started\n", result.Output);
        Assert.EndsWith("[exit code 0]", result.Output);
        await AssertNoneLeftAsync(sleep);
    }

    /// <summary>
    /// A sandboxed command runs to its end when the thread that started it ends (a pool thread that idles does): bwrap's
    /// <c>--die-with-parent</c> would kill it then, since its signal follows the starting thread, not the sidecar.
    /// </summary>
    [BwrapFact]
    public async Task Sandboxed_Command_OutlivesTheThreadThatStartedIt()
    {
        using var ws = new ToolWorkspace();
        var context = new ToolContext { TaskId = "task-1", WorkspaceFolders = [ws.Folder], BashTimeoutMs = 60_000, Sandbox = SandboxPolicy.WorkspaceWrite };
        using var input = System.Text.Json.JsonDocument.Parse("""{"command":"sleep 3; echo done"}""");
        Task<ToolResult>? run = null;
        // The process starts before the call's first wait, on this thread, which ends while the command runs (once bwrap
        // is surely set up: a thread gone before bwrap asks for the signal sends none).
        var starter = new Thread(() =>
        {
            run = new BashTool().RunAsync(input.RootElement, context, CancellationToken.None);
            Thread.Sleep(1000);
        });
        starter.Start();
        starter.Join();

        var result = await run!;

        Assert.Equal("done\n[exit code 0]", result.Output);
    }

    /// <summary>
    /// A sandboxed command is in a session and process group of its own: <c>kill 0</c> reaches its own processes, never
    /// the sidecar's group (here the test host's), which it would share if bwrap gave it no session.
    /// </summary>
    [BwrapFact]
    [SupportedOSPlatform("linux")] // bubblewrap is Linux's: BwrapFact skips it elsewhere
    public async Task Sandboxed_KillZero_ReachesNoProcessOutsideTheSandbox()
    {
        using var ws = new ToolWorkspace();
        var reached = 0;
        // SIGWINCH: ignored by default, so a failing run reports instead of killing the test host.
        using var handler = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
        {
            Interlocked.Increment(ref reached);
            context.Cancel = true;
        });

        var result = await ws.RunAsync(new BashTool(), """{"command":"kill -WINCH 0; echo sent"}""", bashTimeoutMs: 30_000, sandbox: SandboxPolicy.WorkspaceWrite);
        await Task.Delay(300);

        Assert.Equal("sent\n[exit code 0]", result.Output);
        Assert.Equal(0, Volatile.Read(ref reached));
    }

    private static string UniqueSleep() => $"300.{Random.Shared.Next(100_000, 999_999)}";

    /// <summary>The pids of live <c>sleep &lt;seconds&gt;</c> processes, seen from outside any sandbox.</summary>
    private static List<int> Sleeping(string seconds)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(folder, "cmdline")) == $"sleep\0{seconds}\0" && IsRunning(pid)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }
        return found;
    }

    private static async Task AssertNoneLeftAsync(string seconds)
    {
        for (var i = 0; i < 100 && Sleeping(seconds).Count > 0; i++) await Task.Delay(50);
        Assert.Empty(Sleeping(seconds));
    }

    private static int ReadPid(string path) => int.Parse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WaitForFileAsync(string path)
    {
        for (var i = 0; i < 200 && !(File.Exists(path) && File.ReadAllText(path).Trim().Length > 0); i++) await Task.Delay(50);
        Assert.True(File.Exists(path), $"{path} was never written");
    }

    /// <summary>A killed process may linger as a zombie until its new parent reaps it: that counts as gone.</summary>
    private static async Task AssertGoneAsync(int pid)
    {
        for (var i = 0; i < 100 && IsRunning(pid); i++) await Task.Delay(50);
        Assert.False(IsRunning(pid), $"process {pid} is still running");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
