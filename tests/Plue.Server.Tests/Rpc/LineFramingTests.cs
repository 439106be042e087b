using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Plue.Rpc;

namespace Plue.Tests.Rpc;

/// <summary>One message per line (ACP on stdio, <c>plue acp</c>): the reader and the peer over real pipes.</summary>
public sealed class LineFramingTests
{
    [Fact]
    public async Task Read_LinesSplitAnyWay_AreEachOneMessage()
    {
        var input = new Pipe();
        var reader = new LineReader(input.Reader.AsStream(), 1024);
        foreach (var b in Encoding.UTF8.GetBytes("{\"a\":1}\r\n\n  \r\n{\"b\":\"é\"}\n{\"c\":3}")) await input.Writer.WriteAsync(new[] { b });
        await input.Writer.CompleteAsync();

        Assert.Equal("{\"a\":1}", Text(await reader.ReadAsync(CancellationToken.None)));
        Assert.Equal("{\"b\":\"é\"}", Text(await reader.ReadAsync(CancellationToken.None)));
        Assert.Equal("{\"c\":3}", Text(await reader.ReadAsync(CancellationToken.None)));
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Read_LineOverLimit_IsDroppedWithItsHeadKeptAndTheNextLineRead()
    {
        var input = new Pipe();
        var reader = new LineReader(input.Reader.AsStream(), 1000);
        await input.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"id\":7,\"method\":\"m\",\"params\":\""));
        // Far more than the limit, in small writes: the reader must drop it as it comes, not wait for its end.
        var read = reader.ReadAsync(CancellationToken.None).AsTask();
        for (var i = 0; i < 100 && !read.IsCompleted; i++)
        {
            await input.Writer.WriteAsync(Encoding.UTF8.GetBytes(new string('x', 500)));
            await Task.Yield();
        }
        // Held whole, the line would wait for its newline, which never comes here.
        var refused = await read.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(refused);
        Assert.Contains("longer than the 1000-byte limit", refused.Value.Error, StringComparison.Ordinal);
        Assert.StartsWith("{\"id\":7", Text(refused), StringComparison.Ordinal);
        Assert.True(refused.Value.Body!.Length <= 4096, "only the line's head is kept");

        await input.Writer.WriteAsync(Encoding.UTF8.GetBytes(new string('x', 5000) + "\"}\n{\"next\":true}\n"));
        await input.Writer.CompleteAsync();
        Assert.Equal("{\"next\":true}", Text(await reader.ReadAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task Peer_NewlineDelimited_AnswersOneLineEach_AndRefusesAnOversizeLineByItsId()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var peer = new JsonRpcPeer(toServer.Reader.AsStream(), toClient.Writer.AsStream(), TestHandlers.Router(), TestLog.For<JsonRpcPeer>(),
            new JsonRpcPeerOptions { RequireInitialize = false, Framing = Framing.NewlineDelimited, MaxMessageBytes = 2000 });
        var run = Task.Run(() => peer.RunAsync(CancellationToken.None));
        var lines = new StreamReader(toClient.Reader.AsStream(), Encoding.UTF8);

        await toServer.Writer.WriteAsync(Encoding.UTF8.GetBytes(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":{\"text\":\"a\\nb\"}}\n" +
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test/echo\",\"params\":{\"text\":\"" + new string('x', 5000) + "\"}}\n" +
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"test/echo\",\"params\":{\"text\":\"after\"}}\n"));

        // Requests run side by side, so their answers may come in any order: one line each, found by id.
        var answers = new Dictionary<int, JsonNode>();
        for (var i = 0; i < 3; i++)
        {
            var answer = JsonNode.Parse((await lines.ReadLineAsync())!)!;
            answers[answer["id"]!.GetValue<int>()] = answer;
        }
        Assert.Equal("a\nb", answers[1]["result"]!["text"]!.GetValue<string>());
        Assert.Equal(ErrorCodes.InvalidRequest, answers[2]["error"]!["code"]!.GetValue<int>());
        Assert.Contains("longer than the 2000-byte limit", answers[2]["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("after", answers[3]["result"]!["text"]!.GetValue<string>());

        await toServer.Writer.CompleteAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        await peer.DisposeAsync();
    }

    private static string Text(Frame? frame) => Encoding.UTF8.GetString(frame!.Value.Body!);
}
