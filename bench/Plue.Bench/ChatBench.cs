using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Store;
using Plue.Sessions;

namespace Plue.Bench;

/// <summary>
/// A streamed delta from a provider's socket to the <c>session/partDelta</c> notification a client reads
/// (through the real sidecar process), and opening a chat of 10,000 messages.
/// </summary>
internal static class ChatBench
{
    private const int Deltas = 300;
    private const int Messages = 10_000;

    public static async Task RunAsync(string sidecar)
    {
        var home = Directory.CreateTempSubdirectory("plue-bench-chat-").FullName;
        var written = new long[Deltas];
        var received = new long[Deltas];
        using var provider = new TcpListener(IPAddress.Loopback, 0);
        provider.Start();
        var serving = ServeAsync(provider, written);

        var seen = 0;
        var router = new RequestRouter();
        router.AddNotification(Methods.SessionPartDelta, PlueJsonContext.Default.PartDeltaParams, (_, _) =>
        {
            if (seen < Deltas) received[seen++] = Stopwatch.GetTimestamp();
            return ValueTask.CompletedTask;
        });
        await using var process = SidecarProcess.Start(sidecar, home, router);
        var peer = process.Peer;
        var ctx = PlueJsonContext.Default;
        await peer.RequestAsync(RpcMethods.Initialize, new InitializeParams { InitializationOptions = new InitializationOptions { PlueHome = home, VaultKey = Convert.ToBase64String(new byte[32]) } }, ctx.InitializeParams, ctx.InitializeResult);
        var instance = await peer.RequestAsync(Methods.InstancesCreate, new CreateInstanceParams
        {
            DisplayName = "Bench", CatalogProviderId = "openai", Endpoint = $"http://127.0.0.1:{((IPEndPoint)provider.LocalEndpoint).Port}/v1", ApiKey = "sk-bench",
        }, ctx.CreateInstanceParams, ctx.ProviderInstance);
        var session = await peer.RequestAsync(Methods.SessionCreate, new SessionCreateParams { InstanceId = instance.Id, ModelId = "gpt-bench" }, ctx.SessionCreateParams, ctx.Session);
        await peer.RequestAsync(Methods.SessionSend, new SessionSendParams { SessionId = session.Id, Text = "go" }, ctx.SessionSendParams, ctx.SessionMessage);
        await serving;

        var latencies = Enumerable.Range(20, Deltas - 20).Select(i => Stopwatch.GetElapsedTime(written[i], received[i]).TotalMilliseconds).ToList();
        Console.WriteLine($"delta from the provider's socket to session/partDelta read by the client: p50 {Stats.Ms(Stats.Percentile(latencies, 50))}, " +
            $"p99 {Stats.Ms(Stats.Percentile(latencies, 99))} ({latencies.Count} deltas, one every 5 ms, first 20 skipped as warm-up)");

        // Opening a long chat: 10,000 messages written straight into the store, then read back the way session/messages does.
        var store = new MessageStore(new Database(Path.Combine(home, "plue.db")));
        var longChat = await peer.RequestAsync(Methods.SessionCreate, new SessionCreateParams { InstanceId = instance.Id, ModelId = "gpt-bench", Title = "Long" }, ctx.SessionCreateParams, ctx.Session);
        for (var i = 0; i < Messages; i++)
        {
            store.InsertMessage(new SessionMessage
            {
                Id = Guid.CreateVersion7().ToString(), SessionId = longChat.Id, Seq = i, Role = i % 2 == 0 ? "user" : "assistant", Status = "complete",
                Parts = [new MessagePart { Id = Guid.CreateVersion7().ToString(), Kind = "text", Text = $"Message {i}: " + new string('x', 200) }],
                CreatedAt = DateTimeOffset.UtcNow,
            }, owner: null);
        }
        var local = new List<double>();
        var rpc = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            var clock = Stopwatch.StartNew();
            var count = store.Messages(longChat.Id).Count;
            if (i >= 2) local.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            var result = await peer.RequestAsync(Methods.SessionMessages, new IdParams { Id = longChat.Id }, ctx.IdParams, ctx.SessionMessagesResult);
            if (i >= 2) rpc.Add(clock.Elapsed.TotalMilliseconds);
            if (count != Messages || result.Messages.Count != Messages) throw new InvalidOperationException("the long chat is not whole");
        }
        Console.WriteLine($"open a chat of {Messages:N0} messages: read from SQLite median {Stats.Ms(Stats.Percentile(local, 50))}; " +
            $"session/messages through the sidecar, answer parsed by the client, median {Stats.Ms(Stats.Percentile(rpc, 50))}");
    }

    /// <summary>One chat completion streamed as OpenAI SSE, a delta every 5 ms, each write's time kept.</summary>
    private static async Task ServeAsync(TcpListener listener, long[] written)
    {
        using var client = await listener.AcceptTcpClientAsync();
        client.NoDelay = true;
        var stream = client.GetStream();
        var buffer = new byte[64 * 1024];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            request.Append(Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer)));
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"u8.ToArray());
        for (var i = 0; i < written.Length; i++)
        {
            var chunk = new JsonObject { ["id"] = "c", ["object"] = "chat.completion.chunk", ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject { ["content"] = $"d{i} " } }) };
            var frame = Encoding.UTF8.GetBytes($"data: {chunk.ToJsonString()}\n\n");
            written[i] = Stopwatch.GetTimestamp();
            await stream.WriteAsync(frame);
            await Task.Delay(5);
        }
        await stream.WriteAsync("data: [DONE]\n\n"u8.ToArray());
        client.Client.Shutdown(SocketShutdown.Both);
    }
}
