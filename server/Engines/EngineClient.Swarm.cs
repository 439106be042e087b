using System.Net;
using System.Runtime.CompilerServices;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Plue.Engines;

/// <summary>
/// A Docker Swarm through its manager's Engine API: the swarm and its nodes, secrets and configs, a sub-task's job (a
/// service of one replica that runs once), its tasks and its logs followed as lines. The library's types are source-generated, so all
/// of it stays clean under Native AOT.
/// </summary>
public sealed partial class EngineClient
{
    /// <summary>How often a followed service's tasks are looked at to see whether it has ended.</summary>
    private static readonly TimeSpan s_serviceWatch = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether the engine is in a swarm, whether it is a manager (only a manager runs jobs), and how many nodes.</summary>
    public async Task<SwarmState> SwarmInfoAsync(CancellationToken cancellationToken)
    {
        var info = await Call(() => _docker.System.GetSystemInfoAsync(cancellationToken), null).ConfigureAwait(false);
        var swarm = info.Swarm;
        var active = swarm?.LocalNodeState == "active";
        return new SwarmState(active, active && swarm!.ControlAvailable, (int)(swarm?.Nodes ?? 0), (int)(swarm?.Managers ?? 0),
            string.IsNullOrEmpty(swarm?.Error) ? null : swarm.Error);
    }

    /// <summary>The swarm's nodes (a manager's call): name, state, availability, platform and labels.</summary>
    public async Task<IReadOnlyList<SwarmNode>> NodesAsync(CancellationToken cancellationToken)
    {
        var nodes = await Swarm(() => _docker.Swarm.ListNodesAsync(cancellationToken)).ConfigureAwait(false);
        return [.. nodes.Select(n => new SwarmNode(
            n.ID,
            n.Description?.Hostname ?? "",
            n.ManagerStatus is not null || n.Spec?.Role == "manager",
            n.Status?.State ?? "unknown",
            n.Spec?.Availability ?? "unknown",
            n.Description?.Platform?.OS ?? "",
            n.Description?.Platform?.Architecture ?? "",
            n.Spec?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>()))
            .OrderBy(n => n.Hostname, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Makes a secret: the managers keep it encrypted and hand it only to the tasks of a service that mounts it. The
    /// value is never logged nor put in an error.
    /// </summary>
    public async Task<SwarmObject> CreateSecretAsync(string name, ReadOnlyMemory<byte> value, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var spec = new SwarmSecretSpec { Name = name, Data = value.ToArray(), Labels = new Dictionary<string, string>(labels) };
        var made = await Swarm(() => _docker.Secrets.CreateAsync(spec, cancellationToken)).ConfigureAwait(false);
        return new SwarmObject(made.ID, name, labels);
    }

    /// <summary>Removes a secret (by id or name); one already gone is not an error. A service that mounts it must be removed first.</summary>
    public Task RemoveSecretAsync(string idOrName, CancellationToken cancellationToken) =>
        Gone(() => _docker.Secrets.DeleteAsync(idOrName, cancellationToken));

    /// <summary>The secrets carrying this label (<c>key</c>, or <c>key=value</c>); their values are never given back by the engine.</summary>
    public async Task<IReadOnlyList<SwarmObject>> SecretsByLabelAsync(string label, CancellationToken cancellationToken)
    {
        var all = await Swarm(() => _docker.Secrets.ListAsync(cancellationToken)).ConfigureAwait(false);
        return [.. all.Where(s => Carries(s.Spec?.Labels, label)).Select(s => new SwarmObject(s.ID, s.Spec?.Name ?? "", Copy(s.Spec?.Labels)))];
    }

    /// <summary>Makes a config: a file up to 500 KB the swarm hands to the tasks that mount it (not kept secret: an inspect shows it).</summary>
    public async Task<SwarmObject> CreateConfigAsync(string name, ReadOnlyMemory<byte> data, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var spec = new SwarmConfigSpec { Name = name, Data = data.ToArray(), Labels = new Dictionary<string, string>(labels) };
        var made = await Swarm(() => _docker.Configs.CreateConfigAsync(new SwarmCreateConfigParameters { Config = spec }, cancellationToken)).ConfigureAwait(false);
        return new SwarmObject(made.ID, name, labels);
    }

    /// <summary>Removes a config (by id or name); one already gone is not an error. A service that mounts it must be removed first.</summary>
    public Task RemoveConfigAsync(string idOrName, CancellationToken cancellationToken) =>
        Gone(() => _docker.Configs.RemoveConfigAsync(idOrName, cancellationToken));

    /// <summary>The configs carrying this label (<c>key</c>, or <c>key=value</c>).</summary>
    public async Task<IReadOnlyList<SwarmObject>> ConfigsByLabelAsync(string label, CancellationToken cancellationToken)
    {
        var all = await Swarm(() => _docker.Configs.ListConfigsAsync(cancellationToken)).ConfigureAwait(false);
        return [.. all.Where(c => Carries(c.Spec?.Labels, label)).Select(c => new SwarmObject(c.ID, c.Spec?.Name ?? "", Copy(c.Spec?.Labels)))];
    }

    /// <summary>
    /// Starts a sub-task's job: a service of one replica that runs one task to its end, never restarted by Swarm, its
    /// secrets and configs mounted as files, placed as <paramref name="spec"/> says. Returns the service's id.
    /// </summary>
    /// <remarks>
    /// Not Swarm's ReplicatedJob mode, which runs the same once: Swarm before its fix for job services (Debian 12's
    /// Docker 20.10 among them) leaves a finished job's container on its node when the service is removed, where Plue
    /// cannot reach it; a replicated service's containers go with it on every node.
    /// </remarks>
    public async Task<string> CreateJobServiceAsync(SwarmJobSpec spec, CancellationToken cancellationToken)
    {
        var container = new Docker.DotNet.Models.ContainerSpec
        {
            Image = spec.Image,
            Command = spec.Command.Count > 0 ? [.. spec.Command] : null!,
            User = spec.User!,
            Dir = spec.WorkingDir!,
            Labels = new Dictionary<string, string>(spec.Labels),
            // Plue's job saves its state and ends on SIGTERM; a job past this is killed, so a crossed cap stops it soon.
            StopGracePeriod = TimeSpan.FromSeconds(5),
            Secrets = [.. spec.Secrets.Select(s => new SecretReference
            {
                SecretID = s.Object.Id, SecretName = s.Object.Name,
                File = new SecretReferenceFileTarget { Name = s.Target, UID = s.Uid, GID = s.Gid, Mode = s.Mode },
            })],
            Configs = [.. spec.Configs.Select(c => new SwarmConfigReference
            {
                ConfigID = c.Object.Id, ConfigName = c.Object.Name,
                File = new ConfigReferenceFileTarget { Name = c.Target, UID = c.Uid, GID = c.Gid, Mode = c.Mode },
            })],
        };
        var service = new ServiceSpec
        {
            Name = spec.Name,
            Labels = new Dictionary<string, string>(spec.Labels),
            Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = 1 } },
            TaskTemplate = new TaskSpec
            {
                ContainerSpec = container,
                // Swarm's own restart would run the job again from its first spec and redo its work: a retry is Plue's.
                RestartPolicy = new SwarmRestartPolicy { Condition = "none" },
                Networks = spec.HostNetwork ? [new NetworkAttachmentConfig { Target = "host" }] : null!,
                Placement = spec.Constraints.Count > 0 ? new Placement { Constraints = [.. spec.Constraints] } : null!,
                Resources = new ResourceRequirements
                {
                    Reservations = spec.CpuReservation is null && spec.MemoryReservation is null ? null!
                        : new SwarmResources { NanoCPUs = Nanos(spec.CpuReservation), MemoryBytes = spec.MemoryReservation },
                    Limits = spec.CpuLimit is null && spec.MemoryLimit is null ? null!
                        : new SwarmLimit { NanoCPUs = Nanos(spec.CpuLimit), MemoryBytes = spec.MemoryLimit },
                },
            },
        };
        var made = await Swarm(() => _docker.Swarm.CreateServiceAsync(new ServiceCreateParameters { Service = service }, cancellationToken)).ConfigureAwait(false);
        return made.ID ?? throw new EngineException($"{_name} made no service for the job: its answer had no id.", EngineFix.StartEngine);
    }

    /// <summary>
    /// Removes a service, its running tasks stopped on whichever node runs them; one already gone is not an error.
    /// Waits at most <see cref="s_jobStop"/> for them to stop, then removes the service anyway.
    /// </summary>
    /// <remarks>
    /// Swarm before its fix for job services (Debian 12's Docker 20.10 among them) leaves a removed job's tasks as they
    /// were: a running one runs on and a finished one's container stays on its node. So a running job is first moved
    /// to a new run that no node can take: Swarm then stops the old run's tasks and removes their containers itself,
    /// on every node, and the service is removed after. A finished job's containers Swarm leaves there: only the
    /// manager's own are removed here (on other nodes, <c>docker container prune</c> or a fixed engine clears them).
    /// </remarks>
    public async Task RemoveServiceAsync(string idOrName, CancellationToken cancellationToken)
    {
        SwarmService service;
        try
        {
            service = await _docker.Swarm.InspectServiceAsync(idOrName, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Explain(e, _address, _name);
        }
        if (service.Spec?.Mode?.ReplicatedJob is not null || service.Spec?.Mode?.GlobalJob is not null)
            await StopJobAsync(service, cancellationToken).ConfigureAwait(false);
        await Gone(() => _docker.Swarm.RemoveServiceAsync(service.ID, cancellationToken)).ConfigureAwait(false);
        // A finished job's containers stay on such an engine: those on this node (the manager's own) are removed here.
        foreach (var container in await ListAsync("com.docker.swarm.service.id", service.ID, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await RemoveAsync(container.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineException)
            {
                // Its node is removing it already.
            }
        }
    }

    /// <summary>How long a removed job's containers may take to stop (Docker's grace of 10 s, then a kill) and go.</summary>
    private static readonly TimeSpan s_jobStop = TimeSpan.FromSeconds(30);

    /// <summary>A constraint no node meets: the job's new run is never placed.</summary>
    private const string NoNode = "node.id==plue-stopped";

    private async Task StopJobAsync(SwarmService service, CancellationToken cancellationToken)
    {
        if (service.Spec is not { TaskTemplate: not null } spec || service.Version?.Index is not { } version) return;
        if ((await TasksAsync(service.ID, cancellationToken).ConfigureAwait(false)).All(t => t.Ended)) return;
        spec.TaskTemplate.Placement = new Placement { Constraints = [NoNode] };
        spec.TaskTemplate.ForceUpdate++;
        try
        {
            await _docker.Swarm.UpdateServiceAsync(service.ID, new ServiceUpdateParameters { Service = spec, Version = (long)version }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.InternalServerError or HttpStatusCode.BadRequest)
        {
            return;  // gone, or changed by someone else meanwhile: it is removed as it is
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Explain(e, _address, _name);
        }
        // Each task placed on a node stops there; a task of a node that is down never says so, hence the limit.
        using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        within.CancelAfter(s_jobStop);
        try
        {
            while ((await TasksAsync(service.ID, within.Token).ConfigureAwait(false)).Any(t => t.NodeId is not null && !t.Ended))
                await Task.Delay(s_serviceWatch, within.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The services carrying this label (<c>key</c>, or <c>key=value</c>): how a restarted sidecar finds a tree's jobs again.</summary>
    public async Task<IReadOnlyList<SwarmServiceEntry>> ServicesByLabelAsync(string label, CancellationToken cancellationToken)
    {
        var found = await Swarm(() => _docker.Swarm.ListServicesAsync(new ServiceListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        }, cancellationToken)).ConfigureAwait(false);
        return [.. found.Select(s => new SwarmServiceEntry(s.ID, s.Spec?.Name ?? "", Copy(s.Spec?.Labels)))];
    }

    /// <summary>
    /// The service's tasks, oldest first: where each was placed, its state, what went wrong and its exit code. Empty
    /// for a service the swarm does not know (any more).
    /// </summary>
    public async Task<IReadOnlyList<SwarmTask>> ServiceTasksAsync(string serviceId, CancellationToken cancellationToken)
    {
        var tasks = await TasksAsync(serviceId, cancellationToken).ConfigureAwait(false);
        if (tasks.Count == 0) return [];
        var nodes = await NodesAsync(cancellationToken).ConfigureAwait(false);
        // A node is told by its host name; nodes that share one (machines made from one image) by its id's start too.
        var shared = nodes.GroupBy(n => n.Hostname, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var names = nodes.ToDictionary(n => n.Id, n => shared.Contains(n.Hostname) ? $"{n.Hostname} ({n.Id[..Math.Min(12, n.Id.Length)]})" : n.Hostname);
        return [.. tasks.Select(t => t with { NodeName = t.NodeId is { } node && names.TryGetValue(node, out var name) ? name : null })];
    }

    private async Task<IReadOnlyList<SwarmTask>> TasksAsync(string serviceId, CancellationToken cancellationToken)
    {
        var tasks = await Swarm(() => _docker.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = new Dictionary<string, bool> { [serviceId] = true } },
        }, cancellationToken)).ConfigureAwait(false);
        return [.. tasks.OrderBy(t => t.CreatedAt).Select(t => new SwarmTask(
            t.ID,
            string.IsNullOrEmpty(t.NodeID) ? null : t.NodeID,
            null,
            State(t.Status?.State),
            State(t.DesiredState),
            string.IsNullOrEmpty(t.Status?.Err) ? null : t.Status!.Err,
            string.IsNullOrEmpty(t.Status?.Message) ? null : t.Status!.Message,
            string.IsNullOrEmpty(t.Status?.ContainerStatus?.ContainerID) ? null : t.Status!.ContainerStatus!.ExitCode,
            string.IsNullOrEmpty(t.Status?.ContainerStatus?.ContainerID) ? null : t.Status!.ContainerStatus!.ContainerID,
            t.UpdatedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null))];
    }

    /// <summary>
    /// The lines a service's job writes (stdout and stderr, no terminal), as they come, each with its time stamp;
    /// from the start, or only those stamped after <paramref name="since"/> (the last line a follower had: how a
    /// restarted sidecar goes on where it stopped). Ends once every task of the service has ended, after the last line
    /// they wrote, or when the service is removed; ends (with no error) when <paramref name="cancellationToken"/> is
    /// cancelled. An engine that cannot be reached is an <see cref="EngineException"/>.
    /// </summary>
    /// <remarks>
    /// The engine's follow never ends by itself (a service may get new tasks), so the service's tasks are watched
    /// beside it; once they have all ended the follow is cut and the logs read once more without following, from the
    /// last line given, so nothing in flight is lost. Lines are told apart by their time to 100 ns: a line stamped in
    /// the same 100 ns as <paramref name="since"/> counts as had.
    /// </remarks>
    public async IAsyncEnumerable<ServiceLogLine> FollowServiceLogsAsync(string serviceId, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = since;
        for (;;)
        {
            var over = false;
            using (var following = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var watch = WatchEndAsync(serviceId, following, cancellationToken);
                var reader = await OpenLogsAsync(serviceId, last, follow: true, following.Token).ConfigureAwait(false);
                if (reader is not null)
                {
                    await using var _ = reader.Value.Stream.ConfigureAwait(false);
                    while (await NextOrNullAsync(reader.Value.Reader, following.Token).ConfigureAwait(false) is { } line)
                    {
                        if (last is { } had && line.Time <= had) continue;
                        last = line.Time;
                        yield return line;
                    }
                }
                following.Cancel();
                over = await watch.ConfigureAwait(false) || reader is null;
            }
            if (cancellationToken.IsCancellationRequested) yield break;
            if (over)
            {
                // What the job wrote last may not have reached the follow before it was cut: read it without following.
                var rest = await OpenLogsAsync(serviceId, last, follow: false, cancellationToken).ConfigureAwait(false);
                if (rest is null) yield break;
                await using var _ = rest.Value.Stream.ConfigureAwait(false);
                while (await NextOrNullAsync(rest.Value.Reader, cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (last is { } had && line.Time <= had) continue;
                    last = line.Time;
                    yield return line;
                }
                yield break;
            }
            // The engine closed the follow with the service still running (it restarted, say): follow again from the last line.
            await Task.Delay(s_serviceWatch, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested) yield break;
        }
    }

    /// <summary>
    /// Watches the service until all its tasks have ended or it is gone, then cuts <paramref name="following"/>; true
    /// when it ended so, false when the follow was cut first (it ended, or the caller cancelled).
    /// </summary>
    private async Task<bool> WatchEndAsync(string serviceId, CancellationTokenSource following, CancellationToken cancellationToken)
    {
        try
        {
            for (;;)
            {
                await Task.Delay(s_serviceWatch, following.Token).ConfigureAwait(false);
                bool ended;
                try
                {
                    ended = !await ServiceExistsAsync(serviceId, following.Token).ConfigureAwait(false)
                        || await TasksAsync(serviceId, following.Token).ConfigureAwait(false) is { Count: > 0 } tasks && tasks.All(t => t.Ended);
                }
                catch (EngineException)
                {
                    continue;  // the follow itself says when the engine is gone; a look that failed is tried again
                }
                if (ended)
                {
                    await following.CancelAsync().ConfigureAwait(false);
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return !cancellationToken.IsCancellationRequested && await ServiceOverAsync(serviceId).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the service's follow was cut because the service is over (asked once more when the follow ended by itself).</summary>
    private async Task<bool> ServiceOverAsync(string serviceId)
    {
        try
        {
            using var within = new CancellationTokenSource(s_answerTime);
            return !await ServiceExistsAsync(serviceId, within.Token).ConfigureAwait(false)
                || await TasksAsync(serviceId, within.Token).ConfigureAwait(false) is { Count: > 0 } tasks && tasks.All(t => t.Ended);
        }
        catch (Exception e) when (e is EngineException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> ServiceExistsAsync(string serviceId, CancellationToken cancellationToken)
    {
        try
        {
            await _docker.Swarm.InspectServiceAsync(serviceId, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Explain(e, _address, _name);
        }
    }

    /// <summary>The service's log stream from <paramref name="since"/>; null when the service is gone or the call was cancelled.</summary>
    private async Task<(Stream Stream, ServiceLogReader Reader)?> OpenLogsAsync(string serviceId, DateTimeOffset? since, bool follow, CancellationToken cancellationToken)
    {
        var parameters = new ServiceLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Timestamps = true,
            Follow = follow,
            Since = since is { } time ? ServiceLogReader.SinceText(time) : null!,
        };
        try
        {
            var stream = await _docker.Swarm.GetServiceLogsAsync(serviceId, parameters, cancellationToken).ConfigureAwait(false);
            return (stream, new ServiceLogReader(stream));
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception e)
        {
            throw Explain(e, _address, _name);
        }
    }

    /// <summary>The next line; null at the stream's end or once <paramref name="cancellationToken"/> is cancelled.</summary>
    private async Task<ServiceLogLine?> NextOrNullAsync(ServiceLogReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.NextAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            _ = e;  // a read cut by the cancellation may fail as an I/O error rather than as cancelled
            return null;
        }
        catch (Exception e)
        {
            throw Explain(e, _address, _name);
        }
    }

    /// <summary>A call only a swarm's manager answers; an engine that is not one says so with the fix.</summary>
    private async Task<T> Swarm<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            throw new EngineException(
                $"{_name} is not a swarm manager: run `docker swarm init` there, or give a manager's address.", EngineFix.Address, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Explain(e, _address, _name);
        }
    }

    /// <summary>A removal: done, or already gone.</summary>
    private Task Gone(Func<Task> remove) => Swarm(async () =>
    {
        try
        {
            await remove().ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
        return true;
    });

    private static long? Nanos(double? cpus) => cpus is { } n ? (long)(n * 1e9) : null;

    private static string State(TaskState? state) => state switch
    {
        null => "unknown",
        TaskState.New => "new",
        TaskState.Allocated => "allocated",
        TaskState.Pending => "pending",
        TaskState.Assigned => "assigned",
        TaskState.Accepted => "accepted",
        TaskState.Preparing => "preparing",
        TaskState.Ready => "ready",
        TaskState.Starting => "starting",
        TaskState.Running => "running",
        TaskState.Complete => "complete",
        TaskState.Shutdown => "shutdown",
        TaskState.Failed => "failed",
        TaskState.Rejected => "rejected",
        TaskState.Remove => "remove",
        TaskState.Orphaned => "orphaned",
        _ => state.Value.ToString().ToLowerInvariant(),
    };

    private static bool Carries(IDictionary<string, string>? labels, string label)
    {
        if (labels is null) return false;
        var equals = label.IndexOf('=');
        return equals < 0 ? labels.ContainsKey(label) : labels.TryGetValue(label[..equals], out var value) && value == label[(equals + 1)..];
    }

    private static Dictionary<string, string> Copy(IDictionary<string, string>? labels) =>
        labels is null ? [] : new Dictionary<string, string>(labels);
}
