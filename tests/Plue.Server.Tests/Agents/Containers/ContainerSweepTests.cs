using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Plue.Agents.Containers;
using Plue.Codex.Records;
using Plue.Engines;
using Plue.Tests.Support;
using Plue.Vault;
using Plue.Workspace;

namespace Plue.Tests.Agents.Containers;

/// <summary>
/// The start's sweep of containers a killed sidecar left (<see cref="TaskContainers.SweepAsync"/>) asks the engines only
/// once this Plue home has made a container (<see cref="ContainersMade"/>): a window that never ran one talks to no
/// engine at start. "This machine's" engine here is a listener on 127.0.0.1 that counts the connections it is offered.
/// </summary>
public sealed class ContainerSweepTests
{
    [Fact]
    public async Task AHomeThatNeverMadeAContainer_AsksNoEngineAtStart_OneThatDid_AsksThisMachines()
    {
        using var home = new TempDir();
        using var engine = new CountingListener();
        await using var sidecar = new InProcessSidecar(services => services.AddSingleton(sp => new EngineService(sp.GetRequiredService<CodexService>(),
            sp.GetRequiredService<IVault>(), sp.GetRequiredService<WorkspaceContext>(), name => name == "DOCKER_HOST" ? $"tcp://127.0.0.1:{engine.Port}" : null)));
        await sidecar.StartAsync();
        await using var client = await SidecarClient.StartAsync(sidecar, home.Path, workspace: null);
        var containers = sidecar.Services.GetRequiredService<TaskContainers>();

        // The start's own sweep (after initialize, off its path), then one more asked directly.
        await Task.Delay(1_000);
        await containers.SweepAsync(CancellationToken.None);
        Assert.Equal(0, engine.Connections);
        Assert.False(ContainersMade.In(home.Path));

        ContainersMade.Mark(home.Path);
        await containers.SweepAsync(CancellationToken.None);
        Assert.True(ContainersMade.In(home.Path));
        Assert.True(engine.Connections >= 1, "a home that made a container has its leftovers looked for on this machine's engine");
    }

    /// <summary>Accepts and closes every connection at once, counting them: an engine that cannot be reached is skipped.</summary>
    private sealed class CountingListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private int _connections;

        public CountingListener()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Connections => Volatile.Read(ref _connections);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    using var socket = await _listener.AcceptSocketAsync();
                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
