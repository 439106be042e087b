using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plue.Engines;

namespace Plue.Jobs;

/// <summary>
/// One attempt of a sub-task's job on the swarm, owned end to end: the key as a secret made for it, the task bundle
/// as configs, the service (one replicated job, Swarm's restart off), its logs followed into <see cref="SwarmJob"/>
/// while its task is watched (where it was placed; a job no node takes within its start limit, or
/// one that ends without its done line, ends with the swarm's reason), and, however it ends, the service, the secret
/// and the configs removed.
/// </summary>
internal sealed partial class SwarmJobRun(
    EngineClient client, SwarmJob job, JobBundle bundle, IReadOnlyDictionary<string, string> labels, TimeSpan startLimit, Action<SwarmTask?, string> told, ILogger logger)
{
    private const string BundleFolder = "/plue/bundle";
    private const int ConfigBytes = 400 * 1024;
    /// <summary>The names of what was asked for, made or not: a call cut by a stop may have made it all the same.</summary>
    private readonly List<string> _secrets = [];
    private readonly List<string> _configs = [];

    public async Task<JobEnd> RunAsync(string key, SwarmJobSpec spec, CancellationToken cancellationToken)
    {
        string? service = null;
        try
        {
            _secrets.Add($"{spec.Name}-key");
            var secret = await client.CreateSecretAsync(_secrets[0], Encoding.UTF8.GetBytes(key), labels, cancellationToken).ConfigureAwait(false);
            var configs = await ConfigsAsync(spec.Name, cancellationToken).ConfigureAwait(false);
            var (uid, gid) = Owner(spec.User);
            service = spec.Name;
            service = await client.CreateJobServiceAsync(spec with
            {
                Labels = new Dictionary<string, string>(labels.Concat(spec.Labels).DistinctBy(l => l.Key)),
                Secrets = [new SwarmFile(secret, "plue-key", uid, gid)],
                Configs = configs,
            }, cancellationToken).ConfigureAwait(false);
            told(null, "starting");
            return await FollowAsync(service, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await RemoveAsync(service).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Follows a job a stopped sidecar started (its lines from the first, applied again), then removes its service and
    /// the secret and configs that carry its task's label.
    /// </summary>
    public async Task<JobEnd> AttachAsync(string service, CancellationToken cancellationToken)
    {
        try
        {
            told(null, "running");
            return await FollowAsync(service, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            var task = $"{Agents.Containers.TaskContainers.TaskLabel}={labels[Agents.Containers.TaskContainers.TaskLabel]}";
            using var within = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                _secrets.AddRange((await client.SecretsByLabelAsync(task, within.Token).ConfigureAwait(false)).Select(s => s.Id));
                _configs.AddRange((await client.ConfigsByLabelAsync(task, within.Token).ConfigureAwait(false)).Select(c => c.Id));
            }
            catch (Exception e) when (e is EngineException or OperationCanceledException)
            {
                LogNotRemoved(service, e.Message);
            }
            await RemoveAsync(service).ConfigureAwait(false);
        }
    }

    /// <summary>task.json and the start bundle as configs under the bundle folder, the bundle in pieces a config can hold.</summary>
    private async Task<List<SwarmFile>> ConfigsAsync(string name, CancellationToken cancellationToken)
    {
        var files = new List<(string Name, byte[] Data)> { ("task.json", JsonSerializer.SerializeToUtf8Bytes(bundle.Task, JobJsonContext.Default.JobTask)) };
        // A resumed job goes on from its saved state, which holds the start too.
        if (bundle.Task.Resume is null) Pieces(files, "start.bundle", await File.ReadAllBytesAsync(bundle.StartBundle, cancellationToken).ConfigureAwait(false));
        foreach (var (extra, data) in bundle.Extra)
        {
            if (extra.EndsWith(".bundle", StringComparison.Ordinal)) Pieces(files, extra, data);
            else files.Add((extra, data));
        }
        var mounted = new List<SwarmFile>();
        foreach (var (file, data) in files)
        {
            _configs.Add($"{name}-{file.Replace('.', '-')}");
            var config = await client.CreateConfigAsync(_configs[^1], data, labels, cancellationToken).ConfigureAwait(false);
            mounted.Add(new SwarmFile(config, $"{BundleFolder}/{file}", Mode: 0x124));
        }
        return mounted;
    }

    /// <summary>A bundle whole, or in pieces a config can hold (name.0, name.1, …, which the job joins).</summary>
    private static void Pieces(List<(string Name, byte[] Data)> files, string name, byte[] data)
    {
        if (data.Length <= ConfigBytes) files.Add((name, data));
        else for (var at = 0; at * ConfigBytes < data.Length; at++) files.Add(($"{name}.{at}", data[(at * ConfigBytes)..Math.Min(data.Length, (at + 1) * ConfigBytes)]));
    }

    private static (string Uid, string Gid) Owner(string? user) =>
        user?.Split(':') is [var uid, var gid] ? (uid, gid) : user is { Length: > 0 } ? (user, user) : ("0", "0");

    /// <summary>The job's lines into the sub-task until its done line; its task watched beside them for where it runs and why it ended without one.</summary>
    private async Task<JobEnd> FollowAsync(string service, CancellationToken cancellationToken)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchAsync(service, watching);
        try
        {
            await foreach (var line in client.FollowServiceLogsAsync(service, null, watching.Token).ConfigureAwait(false))
            {
                if (!await job.TakeAsync(line.Text, line.Stderr).ConfigureAwait(false)) continue;
                // A job quicker than the watch's first look: where it ran is asked once, for the tree.
                job.Node ??= (await client.ServiceTasksAsync(service, cancellationToken).ConfigureAwait(false)).LastOrDefault()?.NodeName;
                return job.Done!;
            }
            cancellationToken.ThrowIfCancellationRequested();
            // The logs ended with no done line: the watch says why (it failed, was rejected, or no node took it).
            return await watch.ConfigureAwait(false) ?? await EndedWithoutDoneAsync(service, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await watching.CancelAsync().ConfigureAwait(false);
            try
            {
                await watch.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or EngineException)
            {
                // The watch ends with the follow.
            }
        }
    }

    /// <summary>
    /// The job's task every second: where it was placed (told to the tree), and a job no node took within the start
    /// limit, which ends the follow with the swarm's reason. Null when the task ran (its end is the logs').
    /// </summary>
    private async Task<JobEnd?> WatchAsync(string service, CancellationTokenSource following)
    {
        var started = DateTimeOffset.UtcNow;
        string? state = null;
        while (!following.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), following.Token).ConfigureAwait(false);
            var task = (await client.ServiceTasksAsync(service, following.Token).ConfigureAwait(false)).LastOrDefault();
            if (task is null) continue;
            if (task.NodeName is not null) job.Node = task.NodeName;
            var now = task.State is "running" or "complete" ? "running" : task.Ended ? "failed" : "starting";
            if (now != state) told(task, state = now);
            if (task.State is "pending" or "new" or "allocated" or "assigned" && DateTimeOffset.UtcNow - started > startLimit)
            {
                await following.CancelAsync().ConfigureAwait(false);
                return new JobEnd("error", $"No node of the swarm took its job within {startLimit.TotalSeconds:0} s ({Swarm(task)}): change its constraints or reservations, or add a node that meets them");
            }
            if (await LostAsync(task, following.Token).ConfigureAwait(false) is { } lost)
            {
                await following.CancelAsync().ConfigureAwait(false);
                return lost;
            }
            if (task.State is "rejected" or "failed" && !job.Started)
            {
                await following.CancelAsync().ConfigureAwait(false);
                return new JobEnd("error", $"The swarm could not start its job ({Swarm(task)}): check that its image is in the registry and its nodes reach it");
            }
        }
        return null;
    }

    /// <summary>How long the node of a running job may be down before the job counts as lost (a moment's break is not a loss).</summary>
    private static readonly TimeSpan s_lostAfter = TimeSpan.FromSeconds(5);
    private DateTimeOffset? _downSince;

    /// <summary>
    /// A job whose node the swarm has seen down for <see cref="s_lostAfter"/>: lost (Swarm leaves such a task as it
    /// was, and its logs stop, so nothing else would end it). Null while its node is up.
    /// </summary>
    private async Task<JobEnd?> LostAsync(SwarmTask task, CancellationToken cancellationToken)
    {
        if (task.NodeId is not { } nodeId || task.State is not ("running" or "starting" or "preparing" or "assigned" or "accepted")) return null;
        var node = (await client.NodesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(n => n.Id == nodeId);
        if (node is { State: not ("down" or "disconnected" or "unknown") })
        {
            _downSince = null;
            return null;
        }
        _downSince ??= DateTimeOffset.UtcNow;
        return DateTimeOffset.UtcNow - _downSince < s_lostAfter ? null
            : new JobEnd(JobEnd.Lost, $"its node {task.NodeName ?? nodeId} was lost", nodeId);
    }

    private async Task<JobEnd> EndedWithoutDoneAsync(string service, CancellationToken cancellationToken)
    {
        var task = (await client.ServiceTasksAsync(service, cancellationToken).ConfigureAwait(false)).LastOrDefault();
        var why = job.LastDiagnostic ?? (task is null ? "the swarm no longer knows it" : Swarm(task));
        return new JobEnd("error", $"Its job ended without finishing ({why})");
    }

    /// <summary>What the swarm says of a task, in one line.</summary>
    private static string Swarm(SwarmTask task) =>
        string.Join(": ", new[] { task.Message, task.Error }.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal)) is { Length: > 0 } said
            ? said : $"its state is {task.State}{(task.ExitCode is { } code ? $", exit code {code}" : "")}";

    /// <summary>
    /// The service (by its name when its making was cut), then the secret and configs it held (the swarm keeps those
    /// while a service uses them); any that was never made is passed over.
    /// </summary>
    private async Task RemoveAsync(string? service)
    {
        using var within = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            if (service is not null) await client.RemoveServiceAsync(service, within.Token).ConfigureAwait(false);
            foreach (var secret in _secrets) await RetryAsync(() => client.RemoveSecretAsync(secret, within.Token), within.Token).ConfigureAwait(false);
            foreach (var config in _configs) await RetryAsync(() => client.RemoveConfigAsync(config, within.Token), within.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineException or OperationCanceledException)
        {
            LogNotRemoved(service ?? "(not made)", e.Message);
        }
    }

    /// <summary>A secret or config is still in use for a moment after its service is removed: tried again until it goes.</summary>
    private static async Task RetryAsync(Func<Task> remove, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await remove().ConfigureAwait(false);
                return;
            }
            catch (EngineException) when (attempt < 40 && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A swarm job ({Service}) or what it was given could not be removed: {Reason}")]
    private partial void LogNotRemoved(string service, string reason);
}
