using System.Diagnostics;
using Plue.Rpc;

namespace Plue.Tests.Rpc;

public sealed class CancellationTests
{
    private static readonly JsonRpcPeerOptions s_plain = new() { RequireInitialize = false };

    [Fact]
    public async Task CancelRequest_CancelsTheHandler_AndAnswersRequestCancelled()
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        var clock = Stopwatch.StartNew();
        await client.SendAsync("""{"jsonrpc":"2.0","id":41,"method":"test/wait","params":{"ms":30000}}""");
        await client.SendAsync("""{"jsonrpc":"2.0","id":42,"method":"test/echo","params":{"text":"meanwhile"}}""");
        Assert.Equal("42", (await client.ReceiveAsync()).IdText());

        await client.SendAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":41}}""");
        var answer = await client.ReceiveAsync();
        Assert.Equal("41", answer.IdText());
        Assert.Equal(ErrorCodes.RequestCancelled, answer.ErrorCode());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the handler must stop at once, not run to completion");
    }

    [Fact]
    public async Task CancelRequest_ForAFinishedRequest_IsHarmless()
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        await client.SendAsync("""{"jsonrpc":"2.0","id":"a","method":"test/echo","params":{"text":"x"}}""");
        await client.ReceiveAsync();
        await client.SendAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"a"}}""");
        Assert.True(await client.IsSilentAsync());
    }

    [Fact]
    public async Task Progress_FromAHandler_ReachesTheClientBeforeTheResult()
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        await client.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"test/progress","params":{"ms":77}}""");

        for (var i = 1; i <= 3; i++)
        {
            var note = await client.ReceiveAsync();
            Assert.Equal("$/progress", note["method"]!.GetValue<string>());
            Assert.Equal(77, note["params"]!["token"]!.GetValue<int>());
            Assert.Equal(i, note["params"]!["value"]!.GetValue<int>());
        }
        Assert.Equal("done", (await client.ReceiveAsync())["result"]!["text"]!.GetValue<string>());
    }
}
