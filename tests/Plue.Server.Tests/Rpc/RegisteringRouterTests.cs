using System.IO.Pipelines;
using Plue.Rpc;

namespace Plue.Tests.Rpc;

/// <summary>
/// The sidecar serves initialize before its features have registered their handlers: a call
/// to a feature method in that window must wait for them, not be refused as unknown.
/// </summary>
public sealed class RegisteringRouterTests : IAsyncLifetime
{
    private readonly Pipe _a = new();
    private readonly Pipe _b = new();
    private readonly RequestRouter _serverRouter = new(registering: true);
    private JsonRpcPeer _client = null!;
    private Task _running = Task.CompletedTask;

    public Task InitializeAsync()
    {
        var options = new JsonRpcPeerOptions { RequireInitialize = false };
        var server = new JsonRpcPeer(_a.Reader.AsStream(), _b.Writer.AsStream(), _serverRouter, TestLog.For<JsonRpcPeer>(), options);
        _client = new JsonRpcPeer(_b.Reader.AsStream(), _a.Writer.AsStream(), new RequestRouter(), TestLog.For<JsonRpcPeer>(), options);
        _running = Task.WhenAll(server.RunAsync(CancellationToken.None), _client.RunAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _a.Writer.Complete();
        _b.Writer.Complete();
        await _running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ACallArrivingBeforeItsHandlerRegisters_IsAnsweredOnceRegistrationCompletes()
    {
        var call = _client.RequestAsync(TestMethods.Echo, new EchoParams { Text = "early" });
        await Task.Delay(100);
        Assert.False(call.IsCompleted, "the call must wait for registration, not be refused as unknown");

        _serverRouter.Add(TestMethods.Echo, p => new EchoResult { Text = "late " + p.Text });
        _serverRouter.Complete();

        Assert.Equal("late early", (await call.WaitAsync(TimeSpan.FromSeconds(5))).Text);
    }

    [Fact]
    public async Task AnUnknownMethod_IsRefusedOnceRegistrationCompletes()
    {
        var call = _client.RequestAsync(TestMethods.Nothing, new EchoParams { Text = "x" });
        _serverRouter.Complete();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCodes.MethodNotFound, error.Code);
    }

    [Fact]
    public async Task ATable_IsMadeOnTheFirstCallOfAMethodItServes_OnceUnderConcurrentCalls_AndNotBefore()
    {
        var made = 0;
        _serverRouter.AddTable("EchoTable", ["test/echo", "test/wait"], router =>
        {
            Interlocked.Increment(ref made);
            Thread.Sleep(50); // made slowly, so the calls below arrive while it is being made
            router.Add(TestMethods.Echo, p => new EchoResult { Text = "made " + p.Text });
            router.Add(TestMethods.Wait, p => new EchoResult { Text = "waited" });
        });
        _serverRouter.Complete();
        Assert.Equal(0, made);
        Assert.False(_serverRouter.HasRequest("test/echo"), "not mapped before its first call");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _client.RequestAsync(TestMethods.Echo, new EchoParams { Text = $"{i}" }).WaitAsync(TimeSpan.FromSeconds(5))));

        Assert.Equal([.. Enumerable.Range(0, 8).Select(i => $"made {i}")], answers.Select(a => a.Text));
        Assert.Equal(1, made);
        Assert.Equal("waited", (await _client.RequestAsync(TestMethods.Wait, new WaitParams()).WaitAsync(TimeSpan.FromSeconds(5))).Text);
        Assert.Equal(1, made);
    }

    [Fact]
    public async Task AnAreaTable_ServesItsArea_RefusesAMethodItDoesNotMap_AndBadParamsAreStillInvalidParams()
    {
        _serverRouter.AddTable("TestArea", ["test/"], router => router.Add(TestMethods.Echo, p => new EchoResult { Text = p.Text }));
        _serverRouter.Complete();

        Assert.Equal("hi", (await _client.RequestAsync(TestMethods.Echo, new EchoParams { Text = "hi" }).WaitAsync(TimeSpan.FromSeconds(5))).Text);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => _client.RequestAsync(TestMethods.Nothing, new EchoParams { Text = "x" }).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCodes.MethodNotFound, unknown.Code);
        Assert.Contains("test/nothing", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFirstCallsParams_AreBoundWhenTheTableIsMade_AndABadShapeIsAnsweredInvalidParams()
    {
        _serverRouter.AddTable("EchoTable", ["test/echo"], router => router.Add(TestMethods.Echo, p => new EchoResult { Text = p.Text }));
        _serverRouter.Complete();

        // test/echo with params that lack its required text.
        var echoWithoutText = new RequestType<WaitParams, EchoResult>(TestMethods.Echo.Name, () => TestJsonContext.Default.WaitParams, () => TestJsonContext.Default.EchoResult);
        var bad = await Assert.ThrowsAsync<RpcException>(() => _client.RequestAsync(echoWithoutText, new WaitParams { Ms = 1 }).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCodes.InvalidParams, bad.Code);
        Assert.Contains("'text'", bad.Message, StringComparison.Ordinal);
        Assert.Equal("now", (await _client.RequestAsync(TestMethods.Echo, new EchoParams { Text = "now" }).WaitAsync(TimeSpan.FromSeconds(5))).Text);
    }

    [Fact]
    public void ATableMappingAMethodItDoesNotSayItServes_Fails_AndTwoTablesCannotServeOneMethod()
    {
        _serverRouter.AddTable("Liar", ["test/wait"], router => router.Add(TestMethods.Echo, p => new EchoResult { Text = "" }));
        var overlap = Assert.Throws<InvalidOperationException>(() => _serverRouter.AddTable("Other", ["test/"], _ => { }));
        Assert.Contains("both serve test/", overlap.Message, StringComparison.Ordinal);
        _serverRouter.Complete();

        var e = Assert.Throws<InvalidOperationException>(_serverRouter.MapAll);
        Assert.Contains("Liar maps test/echo", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATableMadeNow_IsMappedAtOnce_AndStillOnlyMapsWhatItSaysItServes()
    {
        _serverRouter.AddTable("Feed", ["test/echo"], router => router.Add(TestMethods.Echo, p => new EchoResult { Text = p.Text }), now: true);
        Assert.True(_serverRouter.HasRequest("test/echo"), "mapped before any call and before the router is complete");

        var e = Assert.Throws<InvalidOperationException>(() => _serverRouter.AddTable("LiarNow", ["test/wait"], router => router.Add(TestMethods.Progress, p => new EchoResult { Text = "" }), now: true));
        Assert.Contains("LiarNow maps test/progress", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARouterBuiltWithoutRegistering_IsCompleteAtOnce() =>
        Assert.True(new RequestRouter().Completion.IsCompleted, "a client's router must never make unknown calls wait");
}
