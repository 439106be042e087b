using System.Diagnostics;
using System.Text;
using Plue.Agents.Containers;
using Plue.Engines;
using Plue.Protocol;
using Plue.Tests.Support;

namespace Plue.Tests.Agents.Containers;

/// <summary>
/// A task's command in its container (<see cref="TaskContainer.RunAsync"/>), on a real engine: it runs to its end in a
/// session of its own and gives its exit code. An exec's first process leads its process group, where `setsid` forks and
/// returns at once: the call came back in a moment with exit code 0 and its command left running.
/// </summary>
public sealed class TaskContainerTests(DockerEngine engine) : IClassFixture<DockerEngine>
{
    [DockerEngineFact]
    public async Task Run_CommandThatTakesAWhile_WaitsForItsEndAndGivesItsExitCodeAndOutput()
    {
        await using var made = await MakeAsync();
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();

        var code = await made.Container.RunAsync("echo before; sleep 1; echo after; exit 3", 60_000, (_, text) => { lock (output) output.Append(text); }, CancellationToken.None);

        Assert.Equal(3, code);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"the call came back after {clock.ElapsedMilliseconds} ms, before its sleep ended");
        Assert.Equal("before\nafter\n", output.ToString());
    }

    [DockerEngineFact]
    public async Task Run_PastItsTimeout_KillsTheCommandsSession()
    {
        await using var made = await MakeAsync();

        var code = await made.Container.RunAsync("sleep 300 & sleep 301", 1_500, (_, _) => { }, CancellationToken.None);

        Assert.Null(code);
        var left = new StringBuilder();
        await made.Container.RunAsync("ps", 30_000, (_, text) => left.Append(text), CancellationToken.None);
        Assert.DoesNotContain("sleep 30", left.ToString(), StringComparison.Ordinal);
    }

    private async Task<Made> MakeAsync()
    {
        var client = await EngineClient.ConnectAsync(EngineAddress.Host(engine.Host), null, "the test engine", CancellationToken.None);
        var id = await client.CreateContainerAsync(new ContainerSpec
        {
            Image = engine.Image,
            Command = ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"],
            User = "1000", WorkingDir = "/tmp", Env = TaskContainer.Environment, Confined = true,
            Labels = new Dictionary<string, string> { ["plue.test"] = nameof(TaskContainerTests) },
        }, CancellationToken.None);
        await client.StartAsync(id, CancellationToken.None);
        return new Made(new TaskContainer(client, id, "/tmp", "1000", new TaskContainerInfo { Engine = "the test engine", EngineId = "test", Image = engine.Image, Network = "none", State = "running" }), client);
    }

    private sealed record Made(TaskContainer Container, EngineClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Client.RemoveAsync(Container.Id, CancellationToken.None);
            Container.Dispose();
        }
    }
}
