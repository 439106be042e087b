using Plue.Rpc;

namespace Plue.Tests.Rpc;

/// <summary>Every kind of bad input gets the right error (or a log line), and the peer keeps serving.</summary>
public sealed class ErrorTests
{
    private static readonly JsonRpcPeerOptions s_plain = new() { RequireInitialize = false };

    private static async Task AssertStillServes(RawClient client)
    {
        await client.SendAsync("""{"jsonrpc":"2.0","id":"after","method":"test/echo","params":{"text":"alive"}}""");
        var answer = await client.ReceiveAsync();
        Assert.Equal("\"after\"", answer.IdText());
        Assert.Equal("alive", answer["result"]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Content-Length 12\r\n\r\n", "malformed header line")]
    [InlineData("Content-Type: text/plain\r\n\r\n", "missing Content-Length")]
    [InlineData("Content-Length: -4\r\n\r\n", "not a non-negative integer")]
    [InlineData("Content-Length: twelve\r\n\r\n", "not a non-negative integer")]
    public async Task MalformedHeader_AnswersParseError_AndKeepsServing(string header, string expected)
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        await client.WriteAsync(header);

        var error = await client.ReceiveAsync();
        Assert.Equal(ErrorCodes.ParseError, error.ErrorCode());
        Assert.Equal("null", error.IdText());
        Assert.Contains(expected, error.ErrorMessage());
        await AssertStillServes(client);
    }

    [Fact]
    public async Task HeaderBlockWithoutEnd_IsSkipped_AndKeepsServing()
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        await client.WriteAsync(new string('x', 10_000));
        Assert.Equal(ErrorCodes.ParseError, (await client.ReceiveAsync()).ErrorCode());
        // The rest of the garbage is skipped up to the next Content-Length, whose message is served.
        await client.WriteAsync("\r\n\r\n");
        await AssertStillServes(client);
    }

    [Theory]
    [InlineData(70, "\"id\":7,\"method\":\"test/echo\",\"params\":{0}")] // the id before the deep params
    [InlineData(5000, "\"method\":\"test/echo\",\"params\":{0},\"id\":7")] // after them, far deeper
    public async Task ParamsNestedPastTheDepthLimit_AreAnsweredUnderTheirId_NamingTheRequest(int depth, string members)
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        await client.SendAsync("{\"jsonrpc\":\"2.0\"," + string.Format(System.Globalization.CultureInfo.InvariantCulture, members, deep) + "}");

        // Before: an id-less -32700 that no caller could match, so the request waited for ever.
        var error = await client.ReceiveAsync();
        Assert.Equal(7, error["id"]!.GetValue<int>());
        Assert.Equal(ErrorCodes.InvalidParams, error.ErrorCode());
        Assert.StartsWith("test/echo: the params are nested more than 64 levels deep", error.ErrorMessage(), StringComparison.Ordinal);
        await AssertStillServes(client);
    }

    [Theory]
    [InlineData("not json at all", ErrorCodes.ParseError, "not valid JSON")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,", ErrorCodes.ParseError, "not valid JSON")]
    [InlineData("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\"}]", ErrorCodes.InvalidRequest, "batches are not supported")]
    [InlineData("42", ErrorCodes.InvalidRequest, "must be a JSON object")]
    [InlineData("{\"id\":1,\"method\":\"test/echo\"}", ErrorCodes.InvalidRequest, "'jsonrpc' must be \"2.0\"")]
    [InlineData("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"test/echo\"}", ErrorCodes.InvalidRequest, "'jsonrpc' must be \"2.0\"")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", ErrorCodes.InvalidRequest, "'method' must be a string")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"test/echo\"}", ErrorCodes.InvalidRequest, "'id' must be an integer or a string")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"test/echo\"}", ErrorCodes.InvalidRequest, "'id' must be an integer or a string")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":\"text\"}", ErrorCodes.InvalidRequest, "'params' must be an object or an array")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1}", ErrorCodes.InvalidRequest, "needs 'method'")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/nothing\"}", ErrorCodes.MethodNotFound, "Method not found: test/nothing")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":{\"text\":3}}", ErrorCodes.InvalidParams, "$.text")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":{}}", ErrorCodes.InvalidParams, "'text'")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\"}", ErrorCodes.InvalidParams, "'text'")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":[1,2]}", ErrorCodes.InvalidParams, "not an array")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/fail\"}", ErrorCodes.InternalError, "the disk is full")]
    public async Task BadMessage_GetsTheRightError_AndKeepsServing(string body, int code, string expected)
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        await client.SendAsync(body);

        var error = await client.ReceiveAsync();
        Assert.Equal(code, error.ErrorCode());
        Assert.Contains(expected, error.ErrorMessage());
        await AssertStillServes(client);
    }

    [Fact]
    public async Task BadMessage_KeepsTheIdWhenItCanBeRead()
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        await client.SendAsync("""{"jsonrpc":"1.0","id":"abc","method":"test/echo"}""");
        Assert.Equal("\"abc\"", (await client.ReceiveAsync()).IdText());
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"test/unknownNotification"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"$/setTrace","params":{"value":"off"}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":{"x":1}}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":999}}""")]
    public async Task BadOrUnknownNotification_GetsNoResponse_AndKeepsServing(string body)
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        await client.SendAsync(body);
        await AssertStillServes(client);
        Assert.True(await client.IsSilentAsync());
    }

    [Fact]
    public async Task ResponseToNothing_IsIgnored_AndKeepsServing()
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        await client.SendAsync("""{"jsonrpc":"2.0","id":12345,"result":true}""");
        await AssertStillServes(client);
    }

    [Fact]
    public async Task DuplicateIdWhileRunning_IsRefused()
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        await client.SendAsync("""{"jsonrpc":"2.0","id":5,"method":"test/wait","params":{"ms":500}}""");
        await client.SendAsync("""{"jsonrpc":"2.0","id":5,"method":"test/echo","params":{"text":"x"}}""");

        var first = await client.ReceiveAsync();
        Assert.Equal(ErrorCodes.InvalidRequest, first.ErrorCode());
        Assert.Contains("already in use", first.ErrorMessage());
        Assert.Equal("waited", (await client.ReceiveAsync())["result"]!["text"]!.GetValue<string>());
    }
}
