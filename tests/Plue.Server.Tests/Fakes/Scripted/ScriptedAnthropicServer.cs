using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Plue.Tests.Fakes;

/// <summary>
/// The Claude Code CLI's model: an Anthropic Messages fake scripted by whole replies (blocks, stop reason, usage),
/// for driving the real CLI. The provider tests' <see cref="FakeAnthropicServer"/> scripts raw frames instead.
///
/// A real HTTP/1.1 server on 127.0.0.1 speaking the Anthropic Messages API (docs/PROVIDERS.md, section 1):
/// streaming SSE and non-streaming <c>POST /v1/messages</c> (any query string, e.g. <c>?beta=true</c>),
/// <c>POST /v1/messages/count_tokens</c>, <c>GET /v1/models</c>, <c>HEAD /</c>, and Anthropic error bodies.
/// Scripted per test with a queue of <see cref="ScriptedReply"/>s; records every request.
/// A request no queued response matches gets <see cref="Fallback"/> (a short text answer by default).
/// </summary>
internal sealed class ScriptedAnthropicServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ScriptedReply> _queue = [];
    private readonly List<ScriptedRequest> _requests = [];
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _messageCount;
    private event Action? RequestRecorded;

    private ScriptedAnthropicServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _acceptLoop = AcceptLoopAsync();
    }

    public static ScriptedAnthropicServer Start() => new();

    /// <summary><c>http://127.0.0.1:port</c>, without a trailing slash: the value for ANTHROPIC_BASE_URL.</summary>
    public string BaseUrl { get; }

    /// <summary>The answer to a Messages request no queued response matches.</summary>
    public Func<ScriptedRequest, ScriptedReply> Fallback { get; set; } = _ => ScriptedReply.Text("ok");

    /// <summary>Models listed by <c>GET /v1/models</c>.</summary>
    public IReadOnlyList<string> Models { get; set; } = ["claude-fake-1", "claude-fake-2"];

    public IReadOnlyList<ScriptedRequest> Requests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    /// <summary>The recorded streaming Messages requests: the model calls a client makes.</summary>
    public IReadOnlyList<ScriptedRequest> StreamingMessages => [.. Requests.Where(r => r.IsMessages && r.IsStreaming)];

    public ScriptedAnthropicServer Enqueue(params ScriptedReply[] responses)
    {
        lock (_queue) _queue.AddRange(responses);
        return this;
    }

    public int Pending
    {
        get
        {
            lock (_queue) return _queue.Count;
        }
    }

    /// <summary>Waits until <paramref name="count"/> recorded requests satisfy <paramref name="predicate"/>; returns the last of them.</summary>
    public async Task<ScriptedRequest> WaitForRequestAsync(Func<ScriptedRequest, bool> predicate, int count = 1, TimeSpan? timeout = null)
    {
        var found = new TaskCompletionSource<ScriptedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            var matching = Requests.Where(predicate).ToList();
            if (matching.Count >= count) found.TrySetResult(matching[count - 1]);
        }
        RequestRecorded += Check;
        try
        {
            Check();
            return await found.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the fake saw {Requests.Count(predicate)} of {count} expected requests: {string.Join("; ", Requests)}");
        }
        finally
        {
            RequestRecorded -= Check;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _connections.Add(Task.Run(() => ServeConnectionAsync(client)));
        }
    }

    private async Task ServeConnectionAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        var reader = new RequestReader(stream);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var request = await reader.ReadAsync(_stop.Token);
                if (request is null) return;
                lock (_requests) _requests.Add(request);
                RequestRecorded?.Invoke();
                var keepAlive = !string.Equals(request.Header("connection"), "close", StringComparison.OrdinalIgnoreCase);
                await RespondAsync(stream, request, keepAlive);
                if (!keepAlive) return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up (an interrupted stream) or the fake is stopping.
        }
    }

    private async Task RespondAsync(NetworkStream stream, ScriptedRequest request, bool keepAlive)
    {
        switch (request.Method, request.Path)
        {
            case ("HEAD", _):
                await WriteAsync(stream, 200, "text/plain", "", keepAlive);
                return;
            case ("GET", "/v1/models"):
                await WriteAsync(stream, 200, "application/json", ModelsJson(), keepAlive);
                return;
            case ("POST", "/v1/messages/count_tokens"):
                await WriteAsync(stream, 200, "application/json", """{"input_tokens":42}""", keepAlive);
                return;
            case ("POST", "/v1/messages"):
                await AnswerMessagesAsync(stream, request, keepAlive);
                return;
            default:
                await WriteAsync(stream, 404, "application/json", ScriptedReply.Error(404, "not_found_error", $"no route {request.Method} {request.Path}").ErrorBody(), keepAlive);
                return;
        }
    }

    private async Task AnswerMessagesAsync(NetworkStream stream, ScriptedRequest request, bool keepAlive)
    {
        var response = Dequeue(request) ?? Fallback(request);
        if (response.Status != 200)
        {
            await WriteAsync(stream, response.Status, "application/json", response.ErrorBody(), keepAlive);
            return;
        }
        var id = "msg_fake_" + Interlocked.Increment(ref _messageCount);
        if (!request.IsStreaming)
        {
            await WriteAsync(stream, 200, "application/json", response.MessageJson(id), keepAlive);
            return;
        }
        await WriteHeadAsync(stream, 200, "text/event-stream", null, keepAlive);
        var sent = 0;
        foreach (var (name, data) in response.SseEvents(id))
        {
            if (response.StallAfterEvents is { } stall && sent >= stall)
            {
                // Holds the stream open like a slow model; pings fail once the client has gone.
                while (!_stop.IsCancellationRequested)
                {
                    await WriteChunkAsync(stream, "event: ping\ndata: {\"type\": \"ping\"}\n\n");
                    await Task.Delay(200, _stop.Token);
                }
                return;
            }
            if (sent > 0 && response.EventDelay > TimeSpan.Zero) await Task.Delay(response.EventDelay, _stop.Token);
            await WriteChunkAsync(stream, $"event: {name}\ndata: {data}\n\n");
            sent++;
        }
        await WriteChunkAsync(stream, "");
    }

    private ScriptedReply? Dequeue(ScriptedRequest request)
    {
        lock (_queue)
        {
            var index = _queue.FindIndex(r => r.Matches(request));
            if (index < 0) return null;
            var response = _queue[index];
            _queue.RemoveAt(index);
            return response;
        }
    }

    private string ModelsJson()
    {
        var data = new JsonArray([.. Models.Select(id => (JsonNode)new JsonObject
        {
            ["type"] = "model",
            ["id"] = id,
            ["display_name"] = id,
            ["created_at"] = "2025-01-01T00:00:00Z",
        })]);
        return new JsonObject { ["data"] = data, ["has_more"] = false, ["first_id"] = Models.FirstOrDefault(), ["last_id"] = Models.LastOrDefault() }.ToJsonString();
    }

    private static async Task WriteAsync(NetworkStream stream, int status, string contentType, string body, bool keepAlive)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        await WriteHeadAsync(stream, status, contentType, bytes.Length, keepAlive);
        await stream.WriteAsync(bytes);
    }

    /// <summary>The status line and headers; a null length means a chunked body.</summary>
    private static async Task WriteHeadAsync(NetworkStream stream, int status, string contentType, int? length, bool keepAlive)
    {
        var head = new StringBuilder()
            .Append($"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n")
            .Append($"Content-Type: {contentType}\r\n")
            .Append("request-id: req_fake\r\n")
            .Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n")
            .Append(length is { } n ? $"Content-Length: {n}\r\n" : "Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n")
            .Append(status >= 400 ? "x-should-retry: false\r\n" : "")
            .Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
    }

    /// <summary>One chunk of a chunked body, flushed; the empty string ends the body.</summary>
    private static async Task WriteChunkAsync(NetworkStream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n"));
        await stream.WriteAsync(bytes);
        await stream.WriteAsync("\r\n"u8.ToArray());
        await stream.FlushAsync();
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        529 => "Overloaded",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    /// <summary>Reads HTTP/1.1 requests off one connection: request line, headers, Content-Length or chunked body.</summary>
    private sealed class RequestReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<ScriptedRequest?> ReadAsync(CancellationToken cancellationToken)
        {
            var requestLine = await ReadLineAsync(cancellationToken);
            if (requestLine is null) return null;
            while (requestLine.Length == 0)
            {
                requestLine = await ReadLineAsync(cancellationToken);
                if (requestLine is null) return null;
            }
            var parts = requestLine.Split(' ');
            var target = parts.Length > 1 ? parts[1] : "/";
            var queryAt = target.IndexOf('?');
            var headers = new Dictionary<string, string>();
            for (var line = await ReadLineAsync(cancellationToken); !string.IsNullOrEmpty(line); line = await ReadLineAsync(cancellationToken))
            {
                var colon = line.IndexOf(':');
                if (colon <= 0) continue;
                var name = line[..colon].Trim().ToLowerInvariant();
                var value = line[(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out var previous) ? previous + ", " + value : value;
            }
            byte[] body;
            if (headers.TryGetValue("content-length", out var length))
                body = await ReadBytesAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            else if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                body = await ReadChunkedAsync(cancellationToken);
            else
                body = [];
            return new ScriptedRequest
            {
                Method = parts[0],
                Path = queryAt < 0 ? target : target[..queryAt],
                Query = queryAt < 0 ? "" : target[queryAt..],
                Headers = headers,
                Body = Encoding.UTF8.GetString(body),
            };
        }

        private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
        {
            using var body = new MemoryStream();
            while (true)
            {
                var sizeLine = await ReadLineAsync(cancellationToken) ?? throw new IOException("connection closed in a chunked body");
                var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    while (!string.IsNullOrEmpty(await ReadLineAsync(cancellationToken)))
                    {
                        // Trailers, ignored.
                    }
                    return body.ToArray();
                }
                body.Write(await ReadBytesAsync(size, cancellationToken));
                await ReadLineAsync(cancellationToken);
            }
        }

        private async Task<byte[]> ReadBytesAsync(int count, CancellationToken cancellationToken)
        {
            var result = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                if (_start == _end && !await FillAsync(cancellationToken)) throw new IOException("connection closed in a body");
                var n = Math.Min(count - filled, _end - _start);
                Array.Copy(_buffer, _start, result, filled, n);
                _start += n;
                filled += n;
            }
            return result;
        }

        /// <summary>One CRLF-terminated line, or null when the connection closed before any byte of it.</summary>
        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                    return line.Length == 0 ? null : Encoding.UTF8.GetString(line.ToArray());
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline < 0)
                {
                    line.Write(_buffer, _start, _end - _start);
                    _start = _end;
                    continue;
                }
                line.Write(_buffer, _start, newline - _start);
                _start = newline + 1;
                var text = Encoding.UTF8.GetString(line.ToArray());
                return text.EndsWith('\r') ? text[..^1] : text;
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken);
            return _end > 0;
        }
    }
}
