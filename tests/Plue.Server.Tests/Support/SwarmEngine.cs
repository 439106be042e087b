using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Plue.Tests.Support;

/// <summary>
/// A one-node Docker Swarm for a test class: a private engine of its own (<see cref="DockerEngine"/>, never a shared
/// one), swarm-initialised through the Engine API on 127.0.0.1, and left again after the class. One node pulls
/// nothing: its jobs run the tiny image the engine already has, so no registry is needed.
/// </summary>
public sealed class SwarmEngine : IAsyncLifetime
{
    private readonly DockerEngine _engine = new();
    private bool _joined;

    /// <summary>unix:///…/docker.sock</summary>
    public string Host => _engine.Host;
    public string Socket => _engine.Socket;
    public string Image => _engine.Image;

    public async Task InitializeAsync()
    {
        if (SwarmEngineFactAttribute.Missing() is not null) return;
        await _engine.InitializeAsync();
        await JoinAsync();
    }

    public async Task DisposeAsync()
    {
        if (_joined) await LeaveAsync();
        await _engine.DisposeAsync();
    }

    /// <summary>Makes the engine a swarm of one, its manager.</summary>
    public async Task JoinAsync()
    {
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(Host)).Build();
        await docker.Swarm.InitSwarmAsync(new SwarmInitParameters
        {
            ListenAddr = $"127.0.0.1:{FreePort()}",
            AdvertiseAddr = "127.0.0.1",
            // Not the default 4789: another swarm on this machine (a cluster suite's) may hold that one.
            DataPathPort = (uint)Random.Shared.Next(40_000, 49_000),
        }, CancellationToken.None);
        _joined = true;
    }

    /// <summary>Leaves the swarm (its services, secrets and configs with it).</summary>
    public async Task LeaveAsync()
    {
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(Host)).Build();
        await docker.Swarm.LeaveSwarmAsync(new SwarmLeaveParameters { Force = true }, CancellationToken.None);
        _joined = false;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The engine's raw JSON answer to a GET, as <c>docker inspect</c> prints it: for looking for what must not be there.</summary>
    public async Task<string> GetTextAsync(string path)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://engine") };
        return await http.GetStringAsync(path);
    }
}

/// <summary>A fact that needs a swarm of its own: a private engine (not PLUE_TEST_DOCKER_HOST's, which others share).</summary>
public sealed class SwarmEngineFactAttribute : FactAttribute
{
    public SwarmEngineFactAttribute()
    {
        if (Missing() is { } reason) Skip = reason;
    }

    public static string? Missing()
    {
        if (Environment.GetEnvironmentVariable("PLUE_TEST_DOCKER_HOST") is { Length: > 0 })
            return "The swarm tests swarm-init a private engine, and PLUE_TEST_DOCKER_HOST names a shared one: unset it to run them";
        return DockerEngineFactAttribute.Missing();
    }
}
