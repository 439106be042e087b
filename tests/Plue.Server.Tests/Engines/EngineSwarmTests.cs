using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Plue.Engines;
using Plue.Tests.Support;

namespace Plue.Tests.Engines;

/// <summary>
/// The Engine API's Swarm calls on a real one-node swarm (a private Debian dockerd swarm-initialised for this class):
/// jobs with their secrets and configs, their tasks, and their logs followed as lines to their end.
/// </summary>
public sealed class EngineSwarmTests(SwarmEngine swarm) : IClassFixture<SwarmEngine>
{
    private const string Name = "the test swarm";

    /// <summary>How long a job of the tiny image may take to run here (vfs copies the image for each container).</summary>
    private static readonly TimeSpan s_jobTime = TimeSpan.FromSeconds(90);

    [SwarmEngineFact(DisplayName = "item 1: a swarm's manager says it is one, with its node's name, state and architecture")]
    public async Task Item1_Manager_SaysSoWithItsNodes()
    {
        using var client = await ConnectAsync();

        var state = await client.SwarmInfoAsync(CancellationToken.None);
        var nodes = await client.NodesAsync(CancellationToken.None);

        Assert.True(state.Active);
        Assert.True(state.Manager);
        Assert.Equal(1, state.Nodes);
        var node = Assert.Single(nodes);
        Assert.True(node.Ready, $"the node is {node.State}, {node.Availability}");
        Assert.True(node.Manager);
        Assert.Equal("linux", node.Os);
        Assert.Equal(Environment.MachineName, node.Hostname);
        Assert.Equal(client.Version.Arch == "amd64" ? "x86_64" : client.Version.Arch, node.Architecture);
    }

    [SwarmEngineFact(DisplayName = "item 1: an engine in no swarm says so, and a manager's call there says what to do")]
    public async Task Item1_EngineInNoSwarm_SaysSoWithTheFix()
    {
        using var client = await ConnectAsync();
        await swarm.LeaveAsync();
        try
        {
            var state = await client.SwarmInfoAsync(CancellationToken.None);
            var refused = await Assert.ThrowsAsync<EngineException>(() => client.NodesAsync(CancellationToken.None));

            Assert.False(state.Active);
            Assert.False(state.Manager);
            Assert.Equal($"{Name} is not a swarm manager: run `docker swarm init` there, or give a manager's address.", refused.Message);
            Assert.Equal(EngineFix.Address, refused.Fix);
        }
        finally
        {
            await swarm.JoinAsync();
        }
    }

    [SwarmEngineFact(DisplayName = "item 3: a job's key is a swarm secret: mounted as a file, in no inspect of its service, task or container, and gone with the job")]
    public async Task Item3_KeyIsASwarmSecret_InNoInspectAndGoneWithTheJob()
    {
        using var client = await ConnectAsync();
        var run = RunLabel();
        var key = "sk-test-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var secret = await client.CreateSecretAsync($"plue-key-{run}", Encoding.UTF8.GetBytes(key), Labels(run), CancellationToken.None);
        var config = await client.CreateConfigAsync($"plue-task-{run}", Encoding.UTF8.GetBytes("{\"version\":1}\n"), Labels(run), CancellationToken.None);
        var serviceId = await client.CreateJobServiceAsync(new SwarmJobSpec
        {
            Name = $"plue-job-{run}",
            Image = swarm.Image,
            // The job shows it has the key by its hash only: the key itself goes nowhere but the file.
            Command = ["sh", "-c", "sha256sum /run/secrets/plue-key | cut -c1-64; ls -ln /run/secrets/plue-key | cut -c1-10; cat /plue/task.json"],
            Labels = Labels(run),
            Secrets = [new SwarmFile(secret, "plue-key")],
            Configs = [new SwarmFile(config, "/plue/task.json", Mode: 0x124)],
        }, CancellationToken.None);

        var lines = await FollowAllAsync(client, serviceId, null);
        var task = Assert.Single(await client.ServiceTasksAsync(serviceId, CancellationToken.None));
        Assert.NotNull(task.ContainerId);
        var inspected = new[]
        {
            await swarm.GetTextAsync($"/services/{serviceId}"),
            await swarm.GetTextAsync($"/tasks/{task.Id}"),
            await swarm.GetTextAsync($"/containers/{task.ContainerId}/json"),
        };

        Assert.Equal([Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), "-r--------", "{\"version\":1}"], lines.Select(l => l.Text));
        Assert.Equal("complete", task.State);
        Assert.Contains(secret.Id, inspected[0], StringComparison.Ordinal);  // the service's spec names its secret, by id
        Assert.Contains(secret.Id, inspected[1], StringComparison.Ordinal);
        foreach (var text in inspected)
        {
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(key)), text, StringComparison.Ordinal);
        }

        await client.RemoveServiceAsync(serviceId, CancellationToken.None);
        await client.RemoveSecretAsync(secret.Id, CancellationToken.None);
        await client.RemoveConfigAsync(config.Id, CancellationToken.None);
        await AssertNothingLeftAsync(client, run);
        // Gone: removing again is no error.
        await client.RemoveSecretAsync(secret.Id, CancellationToken.None);
        await client.RemoveServiceAsync(serviceId, CancellationToken.None);
    }

    [SwarmEngineFact(DisplayName = "item 4: a job's lines come back live through its service's logs, whole, stdout and stderr apart, and the follow ends with the job")]
    public async Task Item4_JobLines_FollowedLiveWholeToTheJobsEnd()
    {
        using var client = await ConnectAsync();
        var run = RunLabel();
        // A line of 40 000 characters: the engine cuts it into 16 KB messages; the last line has no newline after it.
        var serviceId = await client.CreateJobServiceAsync(new SwarmJobSpec
        {
            Name = $"plue-job-{run}",
            Image = swarm.Image,
            Command = ["sh", "-c", "echo first; sleep 3; echo 'to stderr é' >&2; head -c 40000 /dev/zero | tr '\\0' a; echo; printf 'no newline'; exit 3"],
            Labels = Labels(run),
            HostNetwork = true,  // as a job that calls its model runs
        }, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var arrived = new List<TimeSpan>();

        var lines = await FollowAllAsync(client, serviceId, null, _ => arrived.Add(clock.Elapsed));
        var ended = clock.Elapsed;
        var tasks = await client.ServiceTasksAsync(serviceId, CancellationToken.None);
        var nodes = await client.NodesAsync(CancellationToken.None);

        Assert.Equal(["first", "to stderr é", new string('a', 40_000), "no newline"], lines.Select(l => l.Text));
        Assert.Equal([false, true, false, false], lines.Select(l => l.Stderr));
        Assert.True(lines.Zip(lines.Skip(1)).All(p => p.First.Time <= p.Second.Time), "the lines come in the order of their time stamps");
        Assert.True(lines[1].Time - lines[0].Time >= TimeSpan.FromSeconds(2.5), $"the stamps are the job's: {lines[0].Time:O} then {lines[1].Time:O}");
        Assert.True(arrived[1] - arrived[0] >= TimeSpan.FromSeconds(2), $"the first line came live, not at the end: at {arrived[0]}, the next at {arrived[1]}");
        Assert.True(ended - arrived[^1] < TimeSpan.FromSeconds(10), $"the follow ended {ended - arrived[^1]} after the job's last line");
        var task = Assert.Single(tasks);
        Assert.Equal("failed", task.State);
        Assert.Equal(3, task.ExitCode);
        Assert.Contains("exit (3)", task.Error, StringComparison.Ordinal);
        Assert.Equal(Assert.Single(nodes).Id, task.NodeId);
        Assert.Equal(nodes[0].Hostname, task.NodeName);

        await client.RemoveServiceAsync(serviceId, CancellationToken.None);
        await AssertNothingLeftAsync(client, run);
    }

    [SwarmEngineFact(DisplayName = "item 6: a follower stopped and started again from its last line goes on from the next, nothing twice, and finds the job by its label")]
    public async Task Item6_FollowerStartedAgainFromItsLastLine_GoesOnFromTheNext()
    {
        using var client = await ConnectAsync();
        var run = RunLabel();
        var serviceId = await client.CreateJobServiceAsync(new SwarmJobSpec
        {
            Name = $"plue-job-{run}",
            Image = swarm.Image,
            Command = ["sh", "-c", "for i in 1 2 3 4 5 6 7 8; do echo line $i; sleep 0.5; done"],
            Labels = Labels(run),
        }, CancellationToken.None);

        // The first follower is stopped after its third line, as a sidecar killed mid-job would be.
        var first = new List<ServiceLogLine>();
        using (var stop = new CancellationTokenSource(s_jobTime))
        {
            var stopped = Stopwatch.StartNew();
            await foreach (var line in client.FollowServiceLogsAsync(serviceId, null, stop.Token))
            {
                first.Add(line);
                if (first.Count == 3)
                {
                    await stop.CancelAsync();
                    stopped.Restart();
                }
            }
            Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(5), $"the follow took {stopped.Elapsed} to end once cancelled");
        }
        var found = await client.ServicesByLabelAsync($"plue.test.run={run}", CancellationToken.None);
        var again = await FollowAllAsync(client, Assert.Single(found).Id, first[^1].Time);

        Assert.Equal(["line 1", "line 2", "line 3"], first.Select(l => l.Text));
        Assert.Equal(serviceId, found[0].Id);
        Assert.Equal(run, found[0].Labels["plue.test.run"]);
        Assert.Equal(["line 4", "line 5", "line 6", "line 7", "line 8"], again.Select(l => l.Text));

        await client.RemoveServiceAsync(serviceId, CancellationToken.None);
        await AssertNothingLeftAsync(client, run);
    }

    [SwarmEngineFact(DisplayName = "item 7: a job's reservations, limits, constraints and network are in its spec; a constraint no node meets leaves it pending with Swarm's reason")]
    public async Task Item7_Placement_InTheSpecAndAnUnmetConstraintSaysWhy()
    {
        using var client = await ConnectAsync();
        var run = RunLabel();
        var serviceId = await client.CreateJobServiceAsync(new SwarmJobSpec
        {
            Name = $"plue-job-{run}",
            Image = swarm.Image,
            Command = ["true"],
            Labels = Labels(run),
            Constraints = ["node.platform.os==linux", "node.labels.gpu==true"],
            HostNetwork = true,
            CpuReservation = 0.25,
            MemoryReservation = 32L * 1024 * 1024,
            CpuLimit = 0.5,
            MemoryLimit = 64L * 1024 * 1024,
        }, CancellationToken.None);

        SwarmTask? pending = null;
        await Polling.Eventually(async () =>
        {
            pending = (await client.ServiceTasksAsync(serviceId, CancellationToken.None)).SingleOrDefault();
            return pending is { State: "pending", Error: not null };
        }, "the job's task pending with a reason");
        var spec = await swarm.GetTextAsync($"/services/{serviceId}");
        using var specJson = JsonDocument.Parse(spec);
        var networkId = specJson.RootElement.GetProperty("Spec").GetProperty("TaskTemplate").GetProperty("Networks")[0].GetProperty("Target").GetString();
        using var network = JsonDocument.Parse(await swarm.GetTextAsync($"/networks/{networkId}"));
        // A follow of a job that never runs ends when its caller gives up, with no error.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        var followed = new List<ServiceLogLine>();
        await foreach (var line in client.FollowServiceLogsAsync(serviceId, null, giveUp.Token)) followed.Add(line);

        Assert.Contains("no suitable node", pending!.Error, StringComparison.Ordinal);
        Assert.Null(pending.NodeId);
        Assert.Contains("\"node.labels.gpu==true\"", spec, StringComparison.Ordinal);
        Assert.Contains("\"Reservations\":{\"NanoCPUs\":250000000,\"MemoryBytes\":33554432}", spec, StringComparison.Ordinal);
        Assert.Contains("\"Limits\":{\"NanoCPUs\":500000000,\"MemoryBytes\":67108864}", spec, StringComparison.Ordinal);
        Assert.Contains("\"Replicated\":{\"Replicas\":1}", spec, StringComparison.Ordinal);
        Assert.Contains("\"RestartPolicy\":{\"Condition\":\"none\"", spec, StringComparison.Ordinal);
        Assert.Contains("\"StopGracePeriod\":5000000000", spec, StringComparison.Ordinal);
        // Swarm keeps the network by its id: it is the node's own.
        Assert.Equal("host", network.RootElement.GetProperty("Name").GetString());
        Assert.Empty(followed);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"the follow took {clock.Elapsed} to end once cancelled");

        await client.RemoveServiceAsync(serviceId, CancellationToken.None);
        await AssertNothingLeftAsync(client, run);
    }

    [SwarmEngineFact(DisplayName = "item 6: a follow of a service removed mid-job ends, with the lines it had")]
    public async Task Item6_ServiceRemovedMidJob_FollowEnds()
    {
        using var client = await ConnectAsync();
        var run = RunLabel();
        var serviceId = await client.CreateJobServiceAsync(new SwarmJobSpec
        {
            Name = $"plue-job-{run}",
            Image = swarm.Image,
            Command = ["sh", "-c", "echo started; sleep 300"],
            Labels = Labels(run),
        }, CancellationToken.None);

        var lines = new List<ServiceLogLine>();
        using var limit = new CancellationTokenSource(s_jobTime);
        var clock = new Stopwatch();
        await foreach (var line in client.FollowServiceLogsAsync(serviceId, null, limit.Token))
        {
            lines.Add(line);
            clock.Start();
            await client.RemoveServiceAsync(serviceId, CancellationToken.None);  // as a crossed spend cap does
        }

        Assert.False(limit.IsCancellationRequested, "the follow ended by itself");
        Assert.Equal(["started"], lines.Select(l => l.Text));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the follow ended {clock.Elapsed} after the service was removed");
        await AssertNothingLeftAsync(client, run);
    }

    private Task<EngineClient> ConnectAsync() => EngineClient.ConnectAsync(EngineAddress.Host(swarm.Host), null, Name, CancellationToken.None);

    private static string RunLabel() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    private static Dictionary<string, string> Labels(string run) => new() { ["plue.test"] = nameof(EngineSwarmTests), ["plue.test.run"] = run };

    /// <summary>Every line of the job, followed from <paramref name="since"/> until the follow ends by itself (a test failure if it does not).</summary>
    private static async Task<List<ServiceLogLine>> FollowAllAsync(EngineClient client, string serviceId, DateTimeOffset? since, Action<ServiceLogLine>? each = null)
    {
        using var limit = new CancellationTokenSource(s_jobTime);
        var lines = new List<ServiceLogLine>();
        await foreach (var line in client.FollowServiceLogsAsync(serviceId, since, limit.Token))
        {
            each?.Invoke(line);
            lines.Add(line);
        }
        Assert.False(limit.IsCancellationRequested, $"the follow did not end within {s_jobTime} of the job's start; it had {lines.Count} lines");
        return lines;
    }

    /// <summary>No service, secret, config or container of this run is left on the swarm.</summary>
    private async Task AssertNothingLeftAsync(EngineClient client, string run)
    {
        var label = $"plue.test.run={run}";
        Assert.Empty(await client.ServicesByLabelAsync(label, CancellationToken.None));
        Assert.Empty(await client.SecretsByLabelAsync(label, CancellationToken.None));
        Assert.Empty(await client.ConfigsByLabelAsync(label, CancellationToken.None));
        var filter = Uri.EscapeDataString($"{{\"label\":[\"{label}\"]}}");
        await Polling.Eventually(async () => await swarm.GetTextAsync($"/containers/json?all=1&filters={filter}") == "[]\n", "the job's containers removed with its service");
    }
}
