using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

// plue-floor             a minimal JSON-RPC responder on stdio (LSP framing, System.Text.Json): answers any request
//                        (initialize with the shape a client expects), and plue/ping {notifications: N} with N plue/pong notifications first.
// plue-floor provider    a loopback fake OpenAI chat endpoint, its own process so its CPU can be read: prints its port,
//                        then streams each POST as SSE: 20 deltas at once, or as its last "bench N P" says (N deltas, one every P ms);
//                        each delta's text carries the monotonic clock when it was written ("d3@123456789 "), so a
//                        reader on this machine can tell how long it took to reach it.
if (args is ["provider"])
{
    await Provider.ServeAsync();
    return 0;
}
await Responder.ServeAsync(Console.OpenStandardInput(), Console.OpenStandardOutput());
return 0;

internal static class Responder
{
    public static async Task ServeAsync(Stream input, Stream output)
    {
        var buffer = new byte[1 << 16];
        int start = 0, end = 0;
        while (true)
        {
            // Header: Content-Length: N\r\n\r\n
            int headerEnd;
            while ((headerEnd = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8)) < 0)
                if (!await FillAsync()) return;
            var header = Encoding.ASCII.GetString(buffer, start, headerEnd);
            var length = int.Parse(header.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            start += headerEnd + 4;
            while (end - start < length)
                if (!await FillAsync()) return;
            using var message = JsonDocument.Parse(buffer.AsMemory(start, length));
            start += length;
            var root = message.RootElement;
            if (!root.TryGetProperty("id", out var id)) continue;
            var method = root.GetProperty("method").GetString();
            if (method == "plue/ping" && root.TryGetProperty("params", out var p) && p.TryGetProperty("notifications", out var n))
                for (var i = 0; i < n.GetInt32(); i++) await WriteAsync(output, w => { w.WriteString("method", "plue/pong"); w.WriteStartObject("params"); w.WriteNumber("seq", i); w.WriteEndObject(); });
            await WriteAsync(output, w =>
            {
                w.WritePropertyName("id");
                id.WriteTo(w);
                w.WriteStartObject("result");
                if (method == "initialize")
                {
                    w.WriteStartObject("capabilities");
                    w.WriteStartArray("areas");
                    w.WriteEndArray();
                    w.WriteEndObject();
                    w.WriteStartObject("serverInfo");
                    w.WriteString("name", "floor");
                    w.WriteString("version", "0");
                    w.WriteEndObject();
                }
                else w.WriteNumber("uptimeMs", 0);
                w.WriteEndObject();
            });
            if (method == "shutdown") return;
        }

        async Task<bool> FillAsync()
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                (end, start) = (end - start, 0);
            }
            if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var read = await input.ReadAsync(buffer.AsMemory(end));
            end += read;
            return read > 0;
        }
    }

    private static async Task WriteAsync(Stream output, Action<Utf8JsonWriter> body)
    {
        var json = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            body(writer);
            writer.WriteEndObject();
        }
        await output.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {json.WrittenCount}\r\n\r\n"));
        await output.WriteAsync(json.WrittenMemory);
        await output.FlushAsync();
    }
}

internal static class Provider
{
    public static async Task ServeAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Console.WriteLine(((IPEndPoint)listener.LocalEndpoint).Port);
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync();
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private static async Task AnswerAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        var head = new byte[1 << 16];
        int filled = 0, headerEnd;
        while ((headerEnd = head.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled == head.Length) return;
            var read = await stream.ReadAsync(head.AsMemory(filled));
            if (read == 0) return;
            filled += read;
        }
        var header = Encoding.ASCII.GetString(head, 0, headerEnd);
        var line = header.Split("\r\n").FirstOrDefault(l => l.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase));
        var length = line is null ? 0 : int.Parse(line.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        // The body is read once into a pooled buffer and searched as bytes, as a real server's parser takes it: a long
        // chat's request (megabytes) must cost the fake what it costs a server, not large-object garbage and full
        // collections of its own that the sidecar's figure would then carry.
        var body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        int deltas = 20, pace = 0;
        try
        {
            var already = Math.Min(filled - headerEnd - 4, length);
            head.AsSpan(headerEnd + 4, already).CopyTo(body);
            await stream.ReadExactlyAsync(body.AsMemory(already, length - already));
            // The sidecar's request says nothing of the bench: the last user message does ("bench 1000 5").
            var at = body.AsSpan(0, length).LastIndexOf("bench "u8);
            var words = at < 0 ? [] : Encoding.UTF8.GetString(body, at, Math.Min(64, length - at)).Split(' ', '"', '\\');
            if (words.Length > 2)
            {
                deltas = int.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture);
                pace = int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"u8.ToArray());
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < deltas; i++)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"d{i}@{Stopwatch.GetTimestamp()} \"}}}}]}}\n\n"));
            // Paced by the clock, not by sleeps adding up: delta i leaves at i × pace.
            if (pace > 0 && TimeSpan.FromMilliseconds((i + 1) * pace) - clock.Elapsed is { Ticks: > 0 } wait) await Task.Delay(wait);
        }
        await stream.WriteAsync("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}\n\ndata: [DONE]\n\n"u8.ToArray());
        client.Client.Shutdown(SocketShutdown.Both);
    }
}
