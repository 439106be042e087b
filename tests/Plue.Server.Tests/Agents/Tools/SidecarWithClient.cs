using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plue.Agents.Tools;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Sidecar;
using Plue.Tests.Rpc;

namespace Plue.Tests.Agents.Tools;

/// <summary>
/// The production host (every real service, <c>AddAgentTools</c> included) on in-memory pipes, driven by a real
/// client <see cref="JsonRpcPeer"/> that answers <c>permission/request</c> the way <see cref="Answer"/> says and
/// records every question it got. Tests take the host's own <see cref="ToolRunner"/>.
/// </summary>
internal sealed class SidecarWithClient : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly IHost _host;
    private readonly JsonRpcPeer _client;
    private readonly CancellationTokenSource _stop = new();
    private Task? _clientRun;

    public SidecarWithClient(bool answersPermissions = true)
    {
        _host = SidecarHost.Build(_toServer.Reader.AsStream(), _toClient.Writer.AsStream());
        var router = new RequestRouter();
        if (answersPermissions)
            router.Add(Contract.PermissionRequest, async (request, cancellationToken) =>
            {
                Asked.Enqueue(request);
                return await Answer(request, cancellationToken);
            });
        router.Add(Contract.McpElicit, (request, _) =>
        {
            Elicited.Enqueue(request);
            return Elicit(request);
        });
        _client = new JsonRpcPeer(_toClient.Reader.AsStream(), _toServer.Writer.AsStream(), router, TestLog.For<JsonRpcPeer>(),
            new JsonRpcPeerOptions { RequireInitialize = false });
    }

    /// <summary>The user's answer; allow unless a test says otherwise.</summary>
    public Func<PermissionRequestParams, CancellationToken, Task<PermissionRequestResult>> Answer { get; set; } =
        (_, _) => Task.FromResult(new PermissionRequestResult { Decision = "allow" });

    public ConcurrentQueue<PermissionRequestParams> Asked { get; } = new();

    /// <summary>The user's answer to an MCP server's question (<c>mcp/elicit</c>); none unless a test says.</summary>
    public Func<McpElicitParams, Task<McpElicitResult>> Elicit { get; set; } =
        _ => throw new InvalidOperationException("this test expects no question from an MCP server");

    public ConcurrentQueue<McpElicitParams> Elicited { get; } = new();

    public IServiceProvider Services => _host.Services;

    public ToolRunner Runner => Services.GetRequiredService<ToolRunner>();

    public static async Task<SidecarWithClient> StartAsync(string home, string? workspace, bool trusted = true, bool answersPermissions = true)
    {
        var sidecar = new SidecarWithClient(answersPermissions);
        await sidecar._host.StartAsync();
        sidecar._clientRun = sidecar._client.RunAsync(sidecar._stop.Token);
        await sidecar.CallAsync("initialize", new JsonObject
        {
            ["initializationOptions"] = new JsonObject
            {
                ["plueHome"] = home,
                ["vaultKey"] = Convert.ToBase64String(new byte[32]),
                ["workspaceFolders"] = workspace is null ? new JsonArray() : new JsonArray(workspace),
                ["trusted"] = trusted,
            },
        });
        return sidecar;
    }

    /// <summary>Calls any method with raw JSON, as a client that knows only the wire would.</summary>
    public Task<JsonObject> CallAsync(string method, JsonObject @params) =>
        _client.RequestAsync(new RequestType<JsonObject, JsonObject>(method, () => PlueJsonContext.Default.JsonObject, () => PlueJsonContext.Default.JsonObject), @params);

    /// <summary>Ends the connection from the client's side, as a closed editor window would.</summary>
    public void Disconnect() => _toServer.Writer.Complete();

    public async ValueTask DisposeAsync()
    {
        _toServer.Writer.Complete();
        await _host.StopAsync(TimeSpan.FromSeconds(5));
        _host.Dispose();
        await _stop.CancelAsync();
        _toClient.Writer.Complete();
        if (_clientRun is not null) await _clientRun.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
