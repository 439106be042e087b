using System.IO.Pipelines;
using Plue.Rpc;

namespace Plue.Tests.Rpc;

/// <summary>Two production peers joined by in-memory pipes: requests both ways, at volume.</summary>
public sealed class PeerToPeerTests : IAsyncLifetime
{
    private readonly Pipe _a = new();
    private readonly Pipe _b = new();
    private JsonRpcPeer _server = null!;
    private JsonRpcPeer _client = null!;
    private Task _running = Task.CompletedTask;

    public Task InitializeAsync()
    {
        var options = new JsonRpcPeerOptions { RequireInitialize = false };
        _server = new JsonRpcPeer(_a.Reader.AsStream(), _b.Writer.AsStream(), TestHandlers.Router(), TestLog.For<JsonRpcPeer>(), options);
        var clientRouter = new RequestRouter();
        clientRouter.Add(TestMethods.ClientEcho,
            async (p, ct) => { await Task.Delay(p.Count ?? 0, ct); return new EchoResult { Text = "client says " + p.Text }; });
        _client = new JsonRpcPeer(_b.Reader.AsStream(), _a.Writer.AsStream(), clientRouter, TestLog.For<JsonRpcPeer>(), options);
        _running = Task.WhenAll(_server.RunAsync(CancellationToken.None), _client.RunAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _a.Writer.Complete();
        _b.Writer.Complete();
        await _running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ThousandConcurrentRequests_AreAllAnsweredWithTheirOwnResults()
    {
        var calls = Enumerable.Range(0, 1000).Select(async i =>
        {
            var result = await _client.RequestAsync(TestMethods.Echo, new EchoParams { Text = $"#{i}", Count = 2 });
            return (i, result.Text);
        });
        var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1000, results.Length);
        Assert.All(results, r => Assert.Equal($"#{r.i}#{r.i}", r.Text));
    }

    [Fact]
    public async Task Quiet_IsCalledWhenTheLastRunningRequestIsAnswered_NotBefore()
    {
        var quiet = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        _server.Quiet = () =>
        {
            Interlocked.Increment(ref calls);
            quiet.TrySetResult();
        };
        using var stop = new CancellationTokenSource();
        var slow = _client.RequestAsync(TestMethods.Wait, new WaitParams { Ms = 600_000 }, stop.Token);

        await _client.RequestAsync(TestMethods.Echo, new EchoParams { Text = "a", Count = 1 });

        // Answered while the slow one still runs: not quiet yet.
        Assert.Equal(0, Volatile.Read(ref calls));
        Assert.True(_server.Busy);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
        await quiet.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(_server.Busy);
    }

    [Fact]
    public async Task ThousandConcurrentSlowRequests_RunInParallel()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ =>
            _client.RequestAsync(TestMethods.Wait, new WaitParams { Ms = 200 })));
        // Served one at a time this would take 200 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ServerToClientRequest_DuringAHandler_IsAnswered()
    {
        var result = await _client.RequestAsync(TestMethods.AskClient, new EchoParams { Text = "hi" });
        Assert.Equal("client says hi", result.Text);
    }

    [Fact]
    public async Task CancellingAnOutgoingRequest_CancelsItOnTheOtherSide()
    {
        using var cts = new CancellationTokenSource(100);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _client.RequestAsync(TestMethods.Wait, new WaitParams { Ms = 30_000 }, cts.Token));
        // The server still serves, and its cancelled handler does not leak an answer into the next call.
        var next = await _client.RequestAsync(TestMethods.Echo, new EchoParams { Text = "next" });
        Assert.Equal("next", next.Text);
    }

    [Fact]
    public async Task ErrorResponse_SurfacesAsRpcExceptionWithCode()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _client.RequestAsync(TestMethods.Fail, new NoParams()));
        Assert.Equal(ErrorCodes.InternalError, error.Code);
        Assert.Contains("the disk is full", error.Message);
    }
}
