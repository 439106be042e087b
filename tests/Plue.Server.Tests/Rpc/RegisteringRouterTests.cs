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
    public void ARouterBuiltWithoutRegistering_IsCompleteAtOnce() =>
        Assert.True(new RequestRouter().Completion.IsCompleted, "a client's router must never make unknown calls wait");
}
