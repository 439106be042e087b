using Plue.Rpc;

namespace Plue.Tests.Rpc;

/// <summary>A quick read (<see cref="RequestRouter.AddOnReader"/>) is answered on the reading loop only when nothing else runs.</summary>
public sealed class QuickReadTests
{
    private static readonly JsonRpcPeerOptions s_plain = new() { RequireInitialize = false };
    private static readonly RequestType<EchoParams, EchoResult> s_quick = new("test/quick", () => TestJsonContext.Default.EchoParams, () => TestJsonContext.Default.EchoResult);

    [Fact]
    public async Task AQuickRead_WhenNothingElseRuns_IsAnsweredBeforeTheNextMessageIsRead()
    {
        var heard = 0;
        var router = TestHandlers.Router(r =>
        {
            r.AddOnReader(s_quick, p => new EchoResult { Text = Volatile.Read(ref heard) == 0 ? "first" : "after the note" });
            r.Add(TestMethods.Heard, (_, _) =>
            {
                Interlocked.Increment(ref heard);
                return ValueTask.CompletedTask;
            });
        });
        await using var client = new RawClient(router, s_plain);
        // A notification is handled on the reader as it is read: written with the read, it runs after the read only
        // when the read is answered there (on a pool thread, the reader usually reached the note first).
        for (var i = 0; i < 20; i++)
        {
            Volatile.Write(ref heard, 0);
            await client.WriteAsync(RawClient.Frame($$$"""{"jsonrpc":"2.0","id":{{{i}}},"method":"test/quick","params":{"text":"x"}}""")
                + RawClient.Frame("""{"jsonrpc":"2.0","method":"test/heard"}"""));
            var answer = await client.ReceiveAsync();
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.IdText());
            Assert.Equal("first", answer["result"]!["text"]!.GetValue<string>());
            while (Volatile.Read(ref heard) == 0) await Task.Delay(1);
        }
    }

    [Fact]
    public async Task AQuickRead_WhileAnotherRequestRuns_IsServedOffTheReader_SoTheReaderGoesOnReading()
    {
        using var noteRead = new ManualResetEventSlim();
        var router = TestHandlers.Router(r =>
        {
            // Waits for a message the reader must read after it: on the reader itself it could only time out.
            r.AddOnReader(s_quick, p => new EchoResult { Text = noteRead.Wait(TimeSpan.FromSeconds(10)) ? "the reader read on" : "the reader waited" });
            r.Add(TestMethods.Heard, (_, _) =>
            {
                noteRead.Set();
                return ValueTask.CompletedTask;
            });
        });
        await using var client = new RawClient(router, s_plain);
        await client.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"test/wait","params":{"ms":30000}}""");
        await client.SendAsync("""{"jsonrpc":"2.0","id":2,"method":"test/quick","params":{"text":"x"}}""");
        await client.SendAsync("""{"jsonrpc":"2.0","method":"test/heard"}""");
        var answer = await client.ReceiveAsync();
        Assert.Equal("2", answer.IdText());
        Assert.Equal("the reader read on", answer["result"]!["text"]!.GetValue<string>());

        await client.SendAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}""");
        var cancelled = await client.ReceiveAsync();
        Assert.Equal("1", cancelled.IdText());
        Assert.Equal(ErrorCodes.RequestCancelled, cancelled.ErrorCode());
    }

    [Fact]
    public async Task AQuickRead_OnTheReader_AnswersBadParamsAndFailuresAsAnyRequest_AndTheConnectionGoesOn()
    {
        var router = TestHandlers.Router(r => r.AddOnReader(s_quick, p => p.Text == "fail"
            ? throw RpcException.InvalidParams("text may not be 'fail'")
            : p.Text == "crash" ? throw new InvalidOperationException("the disk is full") : new EchoResult { Text = p.Text }));
        await using var client = new RawClient(router, s_plain);
        await client.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"test/quick","params":{"text":7}}""");
        Assert.Equal(ErrorCodes.InvalidParams, (await client.ReceiveAsync()).ErrorCode());
        await client.SendAsync("""{"jsonrpc":"2.0","id":2,"method":"test/quick","params":{"text":"fail"}}""");
        var refused = await client.ReceiveAsync();
        Assert.Equal(ErrorCodes.InvalidParams, refused.ErrorCode());
        Assert.Contains("may not be 'fail'", refused["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await client.SendAsync("""{"jsonrpc":"2.0","id":3,"method":"test/quick","params":{"text":"crash"}}""");
        var failed = await client.ReceiveAsync();
        Assert.Equal(ErrorCodes.InternalError, failed.ErrorCode());
        Assert.Contains("the disk is full", failed["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await client.SendAsync("""{"jsonrpc":"2.0","id":4,"method":"test/quick","params":{"text":"still here"}}""");
        Assert.Equal("still here", (await client.ReceiveAsync())["result"]!["text"]!.GetValue<string>());
    }
}
