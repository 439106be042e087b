using Microsoft.Extensions.AI;
using Plue.Providers.ClaudeCode;
using Plue.Tests.Fakes;

namespace Plue.Tests.Providers.ClaudeCode;

/// <summary>Idle CLI processes are bounded (timeout, cap) and a closed one's conversation resumes, with the real CLI.</summary>
[Collection(ClaudeCollection.Name)]
public sealed class ClaudeCodeIdleTests
{
    [Fact]
    public async Task IdlePastTheTimeout_ProcessIsClosed_AndTheNextTurnResumesTheConversation()
    {
        await using var world = new ClaudeWorld(limits: new ClaudeCodeLimits { IdleTimeout = TimeSpan.FromSeconds(2) });
        world.Fake.Enqueue(ScriptedReply.Text("Hello, Ada."), ScriptedReply.Text("Still here."), ScriptedReply.Text("You are Ada."));

        await world.AskAsync("My name is Ada.", ClaudeWorld.Options("idle"));
        var session = world.Session("idle");
        var first = session.ProcessId!.Value;
        await world.AskAsync("Are you there?", ClaudeWorld.Options("idle")); // within the timeout: the same process
        Assert.Equal([first], world.Starts);
        Assert.Equal(first, session.ProcessId);

        await WaitUntilAsync(() => session.ProcessId is null, TimeSpan.FromSeconds(60));
        await WaitUntilAsync(() => !Directory.Exists($"/proc/{first}"), TimeSpan.FromSeconds(10)); // the idle CLI process ends

        var answer = await world.AskAsync("What is my name?", ClaudeWorld.Options("idle"));
        Assert.Equal("You are Ada.", Text(answer));
        Assert.Equal(2, world.Starts.Count);
        Assert.Contains("--resume", ClaudeWorld.CommandLine(session.ProcessId!.Value));
        // The resumed CLI sends the model the conversation it had, and the new question alone (no transcript replayed).
        var request = world.Fake.StreamingMessages[^1].Body;
        Assert.Contains("My name is Ada.", request);
        Assert.Contains("Hello, Ada.", request);
        Assert.DoesNotContain("Earlier in this conversation", request);
    }

    [Fact]
    public async Task IdleBeyondTheCap_LeastRecentlyUsedIsClosed_BusyAndRecentStay()
    {
        await using var world = new ClaudeWorld(limits: new ClaudeCodeLimits { MaxIdle = 1 });
        world.Fake.Fallback = _ => ScriptedReply.Text("ok");

        await world.AskAsync("one", ClaudeWorld.Options("older"));
        var older = world.Session("older").ProcessId!.Value;
        await world.AskAsync("two", ClaudeWorld.Options("newer"));
        var newer = world.Session("newer").ProcessId!.Value;

        await WaitUntilAsync(() => world.Session("older").ProcessId is null, TimeSpan.FromSeconds(60));
        await WaitUntilAsync(() => !Directory.Exists($"/proc/{older}"), TimeSpan.FromSeconds(10)); // the least recently used one ends
        Assert.NotNull(world.Session("newer").ProcessId);
        Assert.Equal(1, world.Client.Sessions.LiveProcesses);

        // The closed chat goes on in a new process that resumes it.
        Assert.Equal("ok", Text(await world.AskAsync("three", ClaudeWorld.Options("older"))));
        Assert.Equal([older, newer, world.Session("older").ProcessId!.Value], world.Starts); // the older chat's second process
        await WaitUntilAsync(() => world.Session("newer").ProcessId is null, TimeSpan.FromSeconds(60));
    }

    private static string Text(List<ChatResponseUpdate> updates) => string.Concat(updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text));

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition()) await Task.Delay(50, deadline.Token);
    }
}
