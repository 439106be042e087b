using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Plue.Tests.Fakes;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 (a TcpListener, so a test controls every byte: chunked bodies flushed
/// step by step, connections cut mid-body, delays, and it sees when the client closes the socket). Requests are
/// recorded; each is answered by <see cref="Handler"/>, by default the next scripted response.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<FakeResponse> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _disconnects;
    private readonly TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LoopbackHttpServer() : this(IPAddress.Loopback) { }

    /// <summary>On another of this machine's addresses: one a test's network namespaces reach (a swarm's bridge).</summary>
    public LoopbackHttpServer(IPAddress address)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Url = $"http://{address}:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        Handler = _ => Next();
        _accepting = AcceptAsync();
    }

    /// <summary>http://127.0.0.1:port (or the address given), no trailing slash.</summary>
    public string Url { get; }

    /// <summary>Answers a request; the default serves the script in order (a 500 "unscripted request" when it runs dry).</summary>
    public Func<RecordedRequest, FakeResponse> Handler { get; set; }

    public void Enqueue(params FakeResponse[] responses)
    {
        foreach (var response in responses) _script.Enqueue(response);
    }

    /// <summary>The next scripted response, if any.</summary>
    public bool TryNext(out FakeResponse response) => _script.TryDequeue(out response!);

    /// <summary>The next scripted response.</summary>
    public FakeResponse Next() =>
        _script.TryDequeue(out var next) ? next : FakeResponse.Json(500, """{"error":{"message":"unscripted request"}}""");

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    /// <summary>How many times a client closed a connection while a response was still being sent or held open.</summary>
    public int Disconnects => Volatile.Read(ref _disconnects);

    /// <summary>Completes when a client closes a connection mid-response (see <see cref="Disconnects"/>).</summary>
    public Task WaitForDisconnectAsync(TimeSpan timeout) => _disconnected.Task.WaitAsync(timeout);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            lock (_connections) _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
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
                var response = Handler(request);
                if (response.Later is { } later) response = await later();
                if (!await WriteAsync(stream, request, response)) return;
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
    }

    /// <summary>False when the connection must close (cut, or the client left).</summary>
    private async Task<bool> WriteAsync(NetworkStream stream, RecordedRequest request, FakeResponse response)
    {
        try
        {
            if (response.HeaderDelay > TimeSpan.Zero) await Task.Delay(response.HeaderDelay, _stop.Token);
            var head = new StringBuilder();
            head.Append($"HTTP/1.1 {response.Status} {ReasonPhrase(response.Status)}\r\n");
            head.Append($"Content-Type: {response.ContentType}\r\n");
            foreach (var (name, value) in response.Headers) head.Append($"{name}: {value}\r\n");
            var headOnly = request.Method == "HEAD";
            head.Append(headOnly ? "Content-Length: 0\r\n\r\n" : "Transfer-Encoding: chunked\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
            await stream.FlushAsync(_stop.Token);
            if (headOnly) return true;
            foreach (var step in response.Steps)
            {
                if (step.Delay > TimeSpan.Zero) await Task.Delay(step.Delay, _stop.Token);
                if (step.WaitFor is { } gate) await gate.WaitAsync(_stop.Token);
                var bytes = step.Bytes ?? Encoding.UTF8.GetBytes(step.Text);
                if (bytes.Length == 0) continue;
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:X}\r\n"), _stop.Token);
                await stream.WriteAsync(bytes, _stop.Token);
                await stream.WriteAsync("\r\n"u8.ToArray(), _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            if (response.Cut) return false;
            if (response.HoldOpen)
            {
                // Nothing more is sent; a read returning 0 (or failing) means the client closed the socket.
                var buffer = new byte[1024];
                while (await stream.ReadAsync(buffer, _stop.Token) > 0) { }
                NoteDisconnect();
                return false;
            }
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), _stop.Token);
            await stream.FlushAsync(_stop.Token);
            return true;
        }
        catch (IOException)
        {
            NoteDisconnect();
            return false;
        }
    }

    private void NoteDisconnect()
    {
        Interlocked.Increment(ref _disconnects);
        _disconnected.TrySetResult();
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        529 => "Overloaded",
        _ => ((HttpStatusCode)status).ToString(),
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] open;
        lock (_connections) open = [.. _connections];
        await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    /// <summary>Reads HTTP/1.1 requests (Content-Length or chunked bodies) off one connection.</summary>
    private sealed class RequestReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<RecordedRequest?> ReadAsync(CancellationToken cancellationToken)
        {
            var requestLine = await ReadLineAsync(cancellationToken);
            if (requestLine is null) return null;
            var parts = requestLine.Split(' ');
            var target = parts.Length > 1 ? parts[1] : "/";
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (await ReadLineAsync(cancellationToken) is { Length: > 0 } line)
            {
                var colon = line.IndexOf(':');
                if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            var body = new MemoryStream();
            if (headers.TryGetValue("Content-Length", out var length))
                await ReadExactAsync(body, int.Parse(length), cancellationToken);
            else if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                while (true)
                {
                    var size = Convert.ToInt32((await ReadLineAsync(cancellationToken) ?? "0").Split(';')[0], 16);
                    if (size == 0)
                    {
                        await ReadLineAsync(cancellationToken);
                        break;
                    }
                    await ReadExactAsync(body, size, cancellationToken);
                    await ReadLineAsync(cancellationToken);
                }
            }
            var question = target.IndexOf('?');
            return new RecordedRequest(parts[0], question < 0 ? target : target[..question], question < 0 ? "" : target[question..],
                headers, Encoding.UTF8.GetString(body.ToArray()));
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                    _start = newline + 1;
                    return line;
                }
                if (!await FillAsync(cancellationToken)) return null;
            }
        }

        private async Task ReadExactAsync(MemoryStream into, int count, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                if (_start == _end && !await FillAsync(cancellationToken)) throw new EndOfStreamException();
                var take = Math.Min(count, _end - _start);
                into.Write(_buffer, _start, take);
                _start += take;
                count -= take;
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _end += read;
            return read > 0;
        }
    }
}
