using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Rpc;

namespace Plue.Tests.Rpc;

/// <summary>
/// The client end of an in-memory connection that writes raw bytes, so tests control
/// framing exactly, and reads the server's frames back with the production reader.
/// </summary>
internal sealed class RawClient : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly FrameReader _reader;

    public RawClient(RequestRouter router, JsonRpcPeerOptions? options = null)
    {
        Peer = new JsonRpcPeer(_toServer.Reader.AsStream(), _toClient.Writer.AsStream(), router, TestLog.For<JsonRpcPeer>(), options);
        Run = Task.Run(() => Peer.RunAsync(CancellationToken.None));
        _reader = new FrameReader(_toClient.Reader.AsStream(), int.MaxValue);
    }

    public JsonRpcPeer Peer { get; }
    public Task<int> Run { get; }

    public Task WriteAsync(string raw) => WriteAsync(Encoding.UTF8.GetBytes(raw));

    public async Task WriteAsync(byte[] raw)
    {
        await _toServer.Writer.WriteAsync(raw);
        await _toServer.Writer.FlushAsync();
    }

    public Task SendAsync(string json) => WriteAsync(Frame(json));

    public static string Frame(string json) => $"Content-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}";

    /// <summary>The next message from the server; generous, since CI machines can be busy.</summary>
    public async Task<JsonObject> ReceiveAsync(int timeoutMs = 15000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        var frame = await _reader.ReadAsync(cts.Token) ?? throw new EndOfStreamException("the server closed the connection");
        return JsonNode.Parse(frame.Body)!.AsObject();
    }

    /// <summary>True when the server has nothing more to say within the wait.</summary>
    public async Task<bool> IsSilentAsync(int waitMs = 200)
    {
        using var cts = new CancellationTokenSource(waitMs);
        try
        {
            await _reader.ReadAsync(cts.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public void CloseInput() => _toServer.Writer.Complete();

    public async Task InitializeAsync()
    {
        await SendAsync("""{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"processId":null}}""");
        var answer = await ReceiveAsync();
        Assert.True(answer.ContainsKey("result"), answer.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        _toServer.Writer.Complete();
        await Run.WaitAsync(TimeSpan.FromSeconds(5));
        await Peer.DisposeAsync();
    }
}

internal static class JsonObjectExtensions
{
    public static int ErrorCode(this JsonObject message) => message["error"]!["code"]!.GetValue<int>();
    public static string ErrorMessage(this JsonObject message) => message["error"]!["message"]!.GetValue<string>();
    public static string IdText(this JsonObject message) =>
        message.TryGetPropertyValue("id", out var id) ? id?.ToJsonString() ?? "null" : "absent";
    public static JsonElement Result(this JsonObject message) => JsonSerializer.SerializeToElement(message["result"]);
}
