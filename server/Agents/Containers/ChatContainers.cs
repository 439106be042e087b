using System.Collections.Concurrent;
using Plue.Engines;
using Plue.Protocol;
using Plue.Sandbox;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Agents.Containers;

/// <summary>
/// The containers of chats whose sandbox policy says <c>runs: container</c> (docs/SANDBOX.md): one per chat, made at its
/// first <c>bash</c> call, the workspace folder bound at the same path (read-only under a read-only policy), kept while
/// the chat uses it and removed when it is archived or deleted, after <see cref="Idle"/> without a command, or when the
/// sidecar stops. Labelled as a task's container is, with the chat's id instead of a task's, so the start's sweep
/// (<see cref="TaskContainers.SweepAsync"/>) removes those a killed sidecar left. Commands run through
/// <c>TaskContainer.RunAsync</c>, as a task's do.
/// </summary>
public sealed class ChatContainers(EngineService engines, TaskContainers tasks, WorkspaceContext session) : IDisposable
{
    public const string ChatLabel = "plue.chat";

    /// <summary>A chat's container unused this long is removed; its next command makes a new one on the same folder.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, Lazy<Task<ChatContainer>>> _open = new(StringComparer.Ordinal);

    private sealed record ChatContainer(TaskContainer Container, Timer IdleTimer);

    /// <summary>The chat's container, made now when it has none (or its last one went).</summary>
    public async Task<TaskContainer> ForAsync(string chatId, SandboxPolicy policy, string folder, CancellationToken cancellationToken)
    {
        // Made off the caller's thread: the engine's calls (and the wait on the container that follows) never hold it.
        var made = _open.GetOrAdd(chatId, id => new Lazy<Task<ChatContainer>>(() => Task.Run(() => MakeAsync(id, policy, folder))));
        ChatContainer chat;
        try
        {
            chat = await made.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _open.TryRemove(new(chatId, made)); // the next command tries again
            throw;
        }
        chat.IdleTimer.Change(Idle, Timeout.InfiniteTimeSpan);
        return chat.Container;
    }

    /// <summary>The chat was archived or deleted: its container goes now.</summary>
    public async Task CloseAsync(string chatId)
    {
        if (!_open.TryRemove(chatId, out var made)) return;
        ChatContainer chat;
        try
        {
            chat = await made.Value.ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineException or Rpc.RpcException or OperationCanceledException)
        {
            return; // never made
        }
        await chat.IdleTimer.DisposeAsync().ConfigureAwait(false);
        var container = chat.Container;
        container.Removing = true;
        try
        {
            using var within = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await container.Client.RemoveAsync(container.Id, within.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineException or OperationCanceledException)
        {
            // Left on its engine: the next start's sweep removes it (its owner, this sidecar, is gone by then).
        }
        finally
        {
            container.Dispose();
        }
    }

    private async Task<ChatContainer> MakeAsync(string chatId, SandboxPolicy policy, string folder)
    {
        using var within = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var record = tasks.Engine(policy.Container?.Engine);
        var image = ContainerImage.For(policy.Container?.Image, session.Folders.FirstOrDefault());
        var client = record is null ? await engines.ConnectThisMachineAsync(within.Token).ConfigureAwait(false)
            : await engines.ConnectAsync(record, within.Token).ConfigureAwait(false);
        var user = ContainerUser.Of(folder);
        // No network: the seam for the policy's allow-list through the sidecar's proxy once containers are given it
        // (docs/CONTAINERS.md); until then a command that needs the network needs a local policy.
        var info = new TaskContainerInfo { Engine = record?.Title ?? EngineService.ThisMachine, EngineId = record?.Id ?? "", Image = image, Network = "none", State = "running" };
        try
        {
            if (!client.OnThisMachine)
                throw new EngineException($"{info.Engine} is on another machine, which cannot mount this machine's folders: set the sandbox policy's engine to one on this machine.", EngineFix.Address);
            ContainersMade.Mark(session.Home);
            var id = await client.CreateContainerAsync(new ContainerSpec
            {
                Image = image, User = user, WorkingDir = folder, Env = TaskContainer.Environment, Confined = true,
                Command = ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"],
                Binds = [(folder, folder, policy.Files == SandboxFiles.ReadOnly)],
                Network = info.Network,
                Labels = new Dictionary<string, string>
                {
                    [ChatLabel] = chatId, [TaskContainers.HomeLabel] = TaskContainers.HomeHash(session.Home), [TaskContainers.OwnerLabel] = TranscriptOwner.Current,
                },
            }, within.Token).ConfigureAwait(false);
            var container = new TaskContainer(client, id, folder, user, info with { ShortId = id[..12] });
            await client.StartAsync(id, within.Token).ConfigureAwait(false);
            _ = Task.Run(() => ForgetWhenStoppedAsync(chatId, container));
            return new ChatContainer(container, new Timer(_ => _ = CloseAsync(chatId), null, Idle, Timeout.InfiniteTimeSpan));
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>A container stopped under the chat (killed, its engine restarted) is forgotten: the next command makes a new one.</summary>
    private async Task ForgetWhenStoppedAsync(string chatId, TaskContainer container)
    {
        try
        {
            await container.Client.WaitAsync(container.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineException or OperationCanceledException or ObjectDisposedException)
        {
            // Its engine went away: so did it.
        }
        if (container.Removing) return;
        await CloseAsync(chatId).ConfigureAwait(false);
    }

    /// <summary>The sidecar stops: every chat's container goes with it.</summary>
    public void Dispose()
    {
        var closing = _open.Keys.Select(CloseAsync).ToArray();
        Task.WaitAll(closing, TimeSpan.FromSeconds(10));
    }
}
