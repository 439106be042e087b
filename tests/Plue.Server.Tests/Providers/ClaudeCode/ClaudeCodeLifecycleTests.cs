using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Providers.ClaudeCode;
using Plue.Tests.Fakes;

namespace Plue.Tests.Providers.ClaudeCode;

/// <summary>Interrupts, crashes and the CLI's own auth check, with the real CLI.</summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeCodeLifecycleTests
{
    // "Promptly" against what would happen without the interrupt: the fake stalls for good and the tool sleeps 31 s.
    // The bound is that far from both and far above what a loaded CI machine adds.
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Cancel_MidStream_InterruptsPromptlyAndTheSessionGoesOn()
    {
        await using var world = new ClaudeWorld();
        world.Fake.Enqueue(ScriptedReply.Text("A very long answer that the model streams slowly, forever.").StallAfter(5), ScriptedReply.Text("After the interrupt."));
        using var cancel = new CancellationTokenSource();
        var texts = new List<string>();
        var watch = new Stopwatch();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in world.Client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "talk")], ClaudeWorld.Options("interrupt"), cancel.Token))
            {
                if (update.Text.Length == 0) continue;
                texts.Add(update.Text);
                watch.Start();
                await cancel.CancelAsync();
            }
        });

        Assert.True(watch.Elapsed < Promptly, $"the turn took {watch.Elapsed} to end after the cancel");
        Assert.NotEmpty(texts);
        var next = await world.AskAsync("again", ClaudeWorld.Options("interrupt"));
        Assert.Equal("After the interrupt.", string.Concat(next.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text)));
        Assert.Single(world.Starts);
    }

    [Fact]
    public async Task Killed_MidTurn_IsAClearErrorAndTheNextTurnRespawns()
    {
        await using var world = new ClaudeWorld();
        world.Fake.Enqueue(ScriptedReply.Text("Streaming until someone kills me.").StallAfter(5), ScriptedReply.Text("Back again."));
        var session = (ClaudeCodeSession?)null;
        var sinceKill = new Stopwatch();

        var error = await Assert.ThrowsAsync<ClaudeCodeException>(async () =>
        {
            await foreach (var update in world.Client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "talk")], ClaudeWorld.Options("killed"),
                new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token))
            {
                if (update.Text.Length == 0 || session is not null) continue;
                session = world.Session("killed");
                Process.GetProcessById(session.ProcessId!.Value).Kill();
                sinceKill.Start();
            }
        });
        sinceKill.Stop();

        Assert.Contains("exited in the middle of a turn", error.Message);
        Assert.True(sinceKill.Elapsed < Promptly, $"the error came {sinceKill.Elapsed} after the kill");
        var next = await world.AskAsync("again", ClaudeWorld.Options("killed"));
        Assert.Equal("Back again.", string.Concat(next.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text)));
        Assert.Equal(2, world.Starts.Count);
    }

    [Fact]
    public async Task Cancel_WhileAToolRuns_EndsTheTurnAndLeavesNoToolProcess()
    {
        await using var world = new ClaudeWorld();
        world.Fake.Enqueue(ScriptedReply.ToolUse("toolu_sleep", "Bash", new JsonObject { ["command"] = "sleep 31.25", ["description"] = "Wait" }), ScriptedReply.Text("Later."));
        using var cancel = new CancellationTokenSource();
        var watch = new Stopwatch();
        var sawTool = false;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            using var started = cancel.Token.Register(watch.Start);
            await foreach (var update in world.Client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "wait")], ClaudeWorld.Options("tool-cancel"), cancel.Token))
            {
                if (!update.Contents.OfType<FunctionCallContent>().Any()) continue;
                for (var i = 0; i < 50 && !sawTool; i++, await Task.Delay(100)) sawTool = SleepRuns();
                await cancel.CancelAsync();
            }
        });

        Assert.True(watch.Elapsed < Promptly, $"the turn took {watch.Elapsed} to end after the cancel");
        // The tool's process tree is killed with the turn; on a loaded machine its exit takes a moment to show.
        for (var i = 0; i < 100 && SleepRuns(); i++) await Task.Delay(100);
        Assert.True(sawTool, "the sleep never ran");
        Assert.False(SleepRuns(), "the tool's process outlived the turn");
    }

    private static bool SleepRuns() => Directory.GetDirectories("/proc").Any(d =>
    {
        try
        {
            var argv = File.ReadAllText(Path.Combine(d, "cmdline"));
            return argv.Contains("sleep\031.25", StringComparison.Ordinal) || (argv.Contains("sleep 31.25", StringComparison.Ordinal) && !argv.Contains("dotnet", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    });

    [Fact]
    public async Task Silence_PastTheTimeout_KillsTheCliWithAClearError()
    {
        await using var world = new ClaudeWorld(timeoutMs: 2_000);
        world.Fake.Enqueue(ScriptedReply.Text("A model that goes quiet mid-answer.").StallAfter(5), ScriptedReply.Text("Fresh start."));
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ClaudeCodeException>(() => world.AskAsync("talk", ClaudeWorld.Options("silent")));

        Assert.Contains("sent nothing for 2 s", error.Message);
        // From the spawn, which alone takes seconds on a loaded machine; without the kill the turn would never end.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
        Assert.Null(world.Session("silent").ProcessId);
        var next = await world.AskAsync("again", ClaudeWorld.Options("silent"));
        Assert.Equal("Fresh start.", string.Concat(next.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text)));
    }

    [Fact]
    public async Task AuthStatus_IsolatedConfig_IsInstalledButNotLoggedIn()
    {
        await using var world = new ClaudeWorld();
        var environment = new Dictionary<string, string?>(world.Environment) { ["ANTHROPIC_API_KEY"] = null };

        var status = await ClaudeCodeAuth.GetStatusAsync(world.Connection.CliPath, environment, CancellationToken.None);

        Assert.True(status.Installed);
        Assert.Equal(world.Connection.CliPath, status.Path);
        Assert.Matches(@"^2\.\d+\.\d+$", status.Version);
        Assert.False(status.LoggedIn);
        Assert.Equal("none", status.AuthMethod);
    }

    [Fact]
    public async Task AuthStatus_ApiKeyInTheEnvironment_IsLoggedIn()
    {
        await using var world = new ClaudeWorld();
        var environment = new Dictionary<string, string?>(world.Environment) { ["ANTHROPIC_API_KEY"] = ClaudeWorld.ApiKey };

        var status = await ClaudeCodeAuth.GetStatusAsync(world.Connection.CliPath, environment, CancellationToken.None);

        Assert.True(status.LoggedIn);
        Assert.Equal("api_key", status.AuthMethod);
    }

    [Fact]
    public async Task AuthStatus_MissingCli_IsNotInstalled()
    {
        var status = await ClaudeCodeAuth.GetStatusAsync("/nonexistent/claude", null, CancellationToken.None);

        Assert.False(status.Installed);
        Assert.False(status.LoggedIn);
        Assert.NotNull(status.Error);
    }
}
