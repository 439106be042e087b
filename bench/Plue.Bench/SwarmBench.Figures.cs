using System.Diagnostics;
using System.Globalization;
using Plue.Engines;
using Plue.Protocol;

namespace Plue.Bench;

/// <summary>The swarm suite's three figures and their floors.</summary>
internal sealed partial class SwarmBench
{
    /// <summary>
    /// A job's start beside a service of <c>true</c>, after one unmeasured task has built and pushed the runner image
    /// (once per base image and Plue version) and every node has pulled it (as a node that already ran a job has).
    /// </summary>
    private async Task StartFigureAsync(Figures figures)
    {
        await OneTaskAsync().ConfigureAwait(false);
        foreach (var host in _swarm.Workers.Prepend(_swarm.Host))
        {
            using var node = await EngineClient.ConnectAsync(EngineAddress.Host(host), null, EngineName, CancellationToken.None).ConfigureAwait(false);
            await node.PullImageAsync(_runnerImage, CancellationToken.None).ConfigureAwait(false);
        }
        Console.WriteLine($"swarm: runner image {_runnerImage}, pulled on every node");
        await figures.CompareEachAsync("swarm job start → its first model call", "ms", _targets.Rounds(5, 3), 0, OneTaskAsync,
            [("service of true → complete", ServiceOnceAsync)]).ConfigureAwait(false);
    }

    private async Task<double> OneTaskAsync()
    {
        var marker = $"BENCH-ONE-{++_round}";
        var called = FirstCall(marker);
        var started = Stopwatch.GetTimestamp();
        var task = await StartTaskAsync("task-code-writer", marker, Place()).ConfigureAwait(false);
        var at = await called.Task.WaitAsync(Long).ConfigureAwait(false);
        await CompletedAsync(task.Id).ConfigureAwait(false);
        await NoServicesAsync().ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started, at).TotalMilliseconds;
    }

    private async Task<double> ServiceOnceAsync()
    {
        var (id, started, done) = await ServiceUntilCompleteAsync().ConfigureAwait(false);
        await _client.RemoveServiceAsync(id, CancellationToken.None).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started, done).TotalMilliseconds;
    }

    /// <summary>
    /// <c>docker service create --replicas 1 --restart-condition none image true</c> through the Engine API (a job's
    /// service, less its secret, configs and logs), polled every 100 ms until its task completes.
    /// </summary>
    private async Task<(string Id, long Started, long Done)> ServiceUntilCompleteAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var id = await _client.CreateJobServiceAsync(new SwarmJobSpec
        {
            Name = $"plue-bench-{Guid.NewGuid():N}"[..24], Image = _runnerImage, Command = ["true"],
            Labels = new Dictionary<string, string> { [BenchLabel] = "floor" },
        }, CancellationToken.None).ConfigureAwait(false);
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < Long; await Task.Delay(100).ConfigureAwait(false))
        {
            if ((await _client.ServiceTasksAsync(id, CancellationToken.None).ConfigureAwait(false)).FirstOrDefault(t => t.Ended) is not { } task) continue;
            if (task.State != "complete") throw new InvalidOperationException($"a floor's service of true ended {task.State}: {task.Error}");
            return (id, started, Stopwatch.GetTimestamp());
        }
        throw new TimeoutException("a floor's service of true did not complete within 10 minutes");
    }

    /// <summary>No service of a task left on the swarm: rounds do not overlap.</summary>
    private async Task NoServicesAsync()
    {
        for (var clock = Stopwatch.StartNew(); (await _client.ServicesByLabelAsync("plue.task", CancellationToken.None).ConfigureAwait(false)).Count > 0; await Task.Delay(200).ConfigureAwait(false))
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new InvalidOperationException("a bench task's service was not removed within 5 minutes");
        }
    }

    private async Task FanOutFigureAsync(Figures figures)
    {
        await figures.CompareEachAsync($"{FanOut} sub-tasks as swarm jobs", "tasks/min", _targets.Rounds(5, 2), 0, FanOutTreeAsync,
            [($"{FanOut} services of true at once", ServicesAtOnceAsync)]).ConfigureAwait(false);
    }

    /// <summary>An orchestrator's N sub-tasks as jobs: from its spawn_task calls answered to the last sub-task completed.</summary>
    private async Task<double> FanOutTreeAsync()
    {
        var marker = $"BENCH-FAN-{++_round}";
        var fields = Place(new() { ["concurrency"] = FanOut, ["max_spawned_tasks"] = FanOut });
        var orchestrator = await StartTaskAsync("task-orchestrator", marker, fields).ConfigureAwait(false);
        await CompletedAsync(orchestrator.Id).ConfigureAwait(false);
        var children = await _peer.RequestAsync(Contract.TaskList, new TaskListParams { ParentId = orchestrator.Id }).ConfigureAwait(false);
        if (children.Count != FanOut) throw new InvalidOperationException($"the orchestrator started {children.Count} sub-tasks, not {FanOut}");
        var last = 0L;
        foreach (var child in children) last = Math.Max(last, await CompletedAsync(child.Id).ConfigureAwait(false));
        await NoServicesAsync().ConfigureAwait(false);
        return FanOut / Stopwatch.GetElapsedTime(_spawned[marker], last).TotalMinutes;
    }

    private async Task<double> ServicesAtOnceAsync()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, FanOut).Select(_ => ServiceUntilCompleteAsync())).ConfigureAwait(false);
        foreach (var run in runs) await _client.RemoveServiceAsync(run.Id, CancellationToken.None).ConfigureAwait(false);
        return FanOut / Stopwatch.GetElapsedTime(runs.Min(r => r.Started), runs.Max(r => r.Done)).TotalMinutes;
    }

    /// <summary>
    /// The sidecar's CPU and memory over a window while it follows the logs of jobs whose bash sleeps, beside the same
    /// window with it idle just before. As many jobs as were running when the window opened are counted.
    /// </summary>
    private async Task FollowFigureAsync(Figures figures, int pid)
    {
        var seconds = _targets.Rounds(20, 10);
        await Task.Delay(2000).ConfigureAwait(false);
        var idle = await SampleAsync(pid, seconds).ConfigureAwait(false);
        var asked = _targets.Rounds(50, 50);
        var markers = Enumerable.Range(1, asked).Select(i => $"BENCH-HOLD-{i}").ToList();
        var tasks = new List<AgentTask>();
        foreach (var marker in markers) tasks.Add(await StartTaskAsync("task-code-writer", marker, Place()).ConfigureAwait(false));
        var calls = markers.Select(m => FirstCall(m).Task).ToList();
        var waited = Stopwatch.StartNew();
        await Task.WhenAny(Task.WhenAll(calls), Task.Delay(Long)).ConfigureAwait(false);
        // Their bash calls under way: each job now runs `sleep` and writes nothing until it is stopped.
        await Task.Delay(3000).ConfigureAwait(false);
        var running = (await _client.ServicesByLabelAsync("plue.task", CancellationToken.None).ConfigureAwait(false)).Count;
        var following = Math.Min(running, calls.Count(c => c.IsCompletedSuccessfully));
        Console.WriteLine($"swarm: {following} of {asked} jobs running (their bash sleeping) {waited.Elapsed.TotalSeconds:F0} s after their task/start");
        var follow = await SampleAsync(pid, seconds).ConfigureAwait(false);
        foreach (var task in tasks) await _peer.RequestAsync(Contract.TaskInterrupt, new IdParams { Id = task.Id }).ConfigureAwait(false);
        await NoServicesAsync().ConfigureAwait(false);
        figures.Add($"sidecar CPU, following {following} jobs' logs", "ms/s", "the same sidecar idle", follow.Cpu, idle.Cpu);
        figures.Add($"sidecar RSS, following {following} jobs' logs", "MiB", "the same sidecar idle", follow.Rss, idle.Rss);
        figures.Note($"swarm: the sidecar's CPU (/proc/PID/stat utime+stime, 10 ms ticks) and RSS (/proc/PID/status VmRSS) read each second over {seconds} s, " +
            $"while {following} jobs' bash calls slept (of {asked} started), beside the same {seconds} s with the sidecar idle just before; " +
            $"CPU over the whole window: {follow.Cpu.Average():F1} ms/s following, {idle.Cpu.Average():F1} ms/s idle");
    }

    /// <summary>Each second's CPU (ms of user and system time per second) and resident memory (MiB) of the process.</summary>
    private static async Task<(List<double> Cpu, List<double> Rss)> SampleAsync(int pid, int seconds)
    {
        List<double> cpu = [], rss = [];
        var (ticks, at) = (CpuTicks(pid), Stopwatch.GetTimestamp());
        for (var i = 0; i < seconds; i++)
        {
            await Task.Delay(1000).ConfigureAwait(false);
            var (nowTicks, now) = (CpuTicks(pid), Stopwatch.GetTimestamp());
            cpu.Add((nowTicks - ticks) * 10.0 / Stopwatch.GetElapsedTime(at, now).TotalSeconds);
            rss.Add(ResidentKb(pid) / 1024.0);
            (ticks, at) = (nowTicks, now);
        }
        return (cpu, rss);
    }

    /// <summary>utime + stime in clock ticks (100 a second): fields 14 and 15 of /proc/PID/stat, the 12th and 13th after the command's ")".</summary>
    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static long ResidentKb(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).First();
}
