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

    /// <summary>
    /// The input ends while requests run: each is cancelled. Here cancelling one ends the other at that moment (as a turn
    /// whose stop ends its sibling's wait does), so the other's source is disposed while the peer goes on cancelling:
    /// the peer must not fail for it (it did: ObjectDisposedException, "SidecarService failed" at the window's close).
    /// </summary>
    [Fact]
    public async Task InputEnds_WhileCancellingOneRequestEndsAnother_ThePeerStopsCleanly()
    {
        TaskCompletionSource first = new(), second = new();
        var started = new CountdownEvent(2);
        TaskCompletionSource Other(int ms) => ms == 1 ? second : first;
        var router = new RequestRouter();
        router.Add(TestMethods.Progress, async (p, c, ct) =>
        {
            // Cancelling this one completes the other's wait, inline: the other request ends inside this Cancel.
            using var _ = ct.Register(() => Other(p.Ms).TrySetResult());
            started.Signal();
            await (p.Ms == 1 ? first : second).Task;
            return new EchoResult { Text = "ended" };
        });
        await using var client = new RawClient(router, new JsonRpcPeerOptions { RequireInitialize = false });
        foreach (var id in new[] { 1, 2 })
            await client.SendAsync($$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"test/progress","params":{"ms":{{{id}}}}}""");
        Assert.True(started.Wait(TimeSpan.FromSeconds(5)), "both requests must be running");

        client.CloseInput();

        Assert.Equal(1, await client.Run.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
