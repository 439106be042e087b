using System.IO.Pipelines;
using System.Text.Json;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Tests.Rpc;

/// <summary>A request to the client after the connection ended fails at once instead of waiting for an answer that cannot come.</summary>
public sealed class ClosedConnectionTests
{
    [Fact]
    public async Task RequestAsync_AfterTheInputEnded_ThrowsIOException()
    {
        Pipe toPeer = new(), fromPeer = new();
        var peer = new JsonRpcPeer(toPeer.Reader.AsStream(), fromPeer.Writer.AsStream(), new RequestRouter(), TestLog.For<JsonRpcPeer>(),
            new JsonRpcPeerOptions { RequireInitialize = false });
        var run = peer.RunAsync(CancellationToken.None);
        toPeer.Writer.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        using var input = JsonDocument.Parse("{}");
        var ask = peer.RequestAsync(Contract.PermissionRequest, new PermissionRequestParams { Tool = "bash", Input = input.RootElement });

        var error = await Assert.ThrowsAsync<IOException>(() => ask.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("connection is closed", error.Message);
    }
}
