using Plue.Rpc;

namespace Plue.Tests.Rpc;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Request_BeforeInitialize_IsRefusedWithServerNotInitialized()
    {
        await using var client = new RawClient(TestHandlers.Router());
        await client.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"test/echo","params":{"text":"x"}}""");

        var error = await client.ReceiveAsync();
        Assert.Equal(ErrorCodes.ServerNotInitialized, error.ErrorCode());
        Assert.Equal(LifecycleState.AwaitingInitialize, client.Peer.State);
    }

    [Fact]
    public async Task Notification_BeforeInitialize_IsDropped()
    {
        var heard = 0;
        await using var client = new RawClient(TestHandlers.Router(r =>
            r.Add(TestMethods.Heard, (_, _) => { heard++; return ValueTask.CompletedTask; })));
        await client.SendAsync("""{"jsonrpc":"2.0","method":"test/heard"}""");
        await client.InitializeAsync();
        await client.SendAsync("""{"jsonrpc":"2.0","method":"test/heard"}""");
        await client.SendAsync("""{"jsonrpc":"2.0","id":2,"method":"test/echo","params":{"text":"x"}}""");
        await client.ReceiveAsync();

        Assert.Equal(1, heard);
    }

    [Fact]
    public async Task Initialize_Twice_IsRefused()
    {
        await using var client = new RawClient(TestHandlers.Router());
        await client.InitializeAsync();
        await client.SendAsync("""{"jsonrpc":"2.0","id":2,"method":"initialize","params":{}}""");

        var error = await client.ReceiveAsync();
        Assert.Equal(ErrorCodes.InvalidRequest, error.ErrorCode());
        Assert.Contains("only be sent once", error.ErrorMessage());
    }

    [Fact]
    public async Task ShutdownThenExit_EndsWithCodeZero_AndRefusesWorkInBetween()
    {
        var client = new RawClient(TestHandlers.Router());
        var shutdownSeen = false;
        client.Peer.ShutdownRequested = () => { shutdownSeen = true; return ValueTask.CompletedTask; };
        await client.InitializeAsync();

        await client.SendAsync("""{"jsonrpc":"2.0","id":2,"method":"shutdown"}""");
        var answer = await client.ReceiveAsync();
        Assert.True(answer.ContainsKey("result"));
        Assert.Null(answer["result"]);
        Assert.True(shutdownSeen);

        await client.SendAsync("""{"jsonrpc":"2.0","id":3,"method":"test/echo","params":{"text":"x"}}""");
        Assert.Equal(ErrorCodes.InvalidRequest, (await client.ReceiveAsync()).ErrorCode());

        await client.SendAsync("""{"jsonrpc":"2.0","method":"exit"}""");
        Assert.Equal(0, await client.Run.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ExitWithoutShutdown_EndsWithCodeOne()
    {
        var client = new RawClient(TestHandlers.Router());
        await client.InitializeAsync();
        await client.SendAsync("""{"jsonrpc":"2.0","method":"exit"}""");
        Assert.Equal(1, await client.Run.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
