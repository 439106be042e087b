using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Store;
using Plue.Transcripts;

namespace Plue.Bench;

/// <summary>
/// A streamed delta from a provider's socket to the <c>session/partDelta</c> notification a client reads
/// (through the real sidecar process), and opening a chat of 10,000 messages: its latest page, as the
/// panel does, and the whole transcript. Each figure is printed with the machine's load average: on a
/// shared machine the tail is mostly other processes holding the CPUs.
/// </summary>
internal static class ChatBench
{
    private const int Deltas = 1000;
    private const int PageSize = 200;
    private const int Messages = 10_000;

    /// <param name="deltasOnly">Only the delta latency (<c>--deltas-only</c>): quick enough to repeat while the machine is quiet.</param>
    public static async Task RunAsync(string sidecar, bool deltasOnly)
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
            $"p90 {Stats.Ms(Stats.Percentile(latencies, 90))}, p99 {Stats.Ms(Stats.Percentile(latencies, 99))}, max {Stats.Ms(latencies.Max())} " +
            $"({latencies.Count} deltas, one every 5 ms, a new part every 50, first 20 skipped as warm-up; {Stats.Load()})");

        if (deltasOnly) return;
        await OpenLongChatAsync(peer, instance.Id, new MessageStore(new Database(Path.Combine(home, "plue.db"))));
    }

    /// <summary>10,000 messages written straight into the store (answers with usage, as real ones have), then opened.</summary>
    private static async Task OpenLongChatAsync(JsonRpcPeer peer, string instanceId, MessageStore store)
    {
        var ctx = PlueJsonContext.Default;
        var longChat = await peer.RequestAsync(Methods.SessionCreate, new SessionCreateParams { InstanceId = instanceId, ModelId = "gpt-bench", Title = "Long" }, ctx.SessionCreateParams, ctx.Session);
        for (var i = 0; i < Messages; i++)
        {
            var answer = i % 2 == 1;
            store.InsertMessage(new SessionMessage
            {
                Id = Guid.CreateVersion7().ToString(), SessionId = longChat.Id, Seq = i, Role = answer ? MessageRole.Assistant : MessageRole.User, Status = MessageStatus.Complete,
                Parts = [new TextPart { Id = Guid.CreateVersion7().ToString(), Text = $"Message {i}: " + new string('x', 200) }],
                Usage = answer ? new TokenUsage { Input = 1000 + i, Output = 200 } : null, CostUsd = answer ? 0.001m : null,
                CreatedAt = DateTimeOffset.UtcNow,
            }, owner: null);
        }
        var page = new SessionMessagesParams { Id = longChat.Id, Limit = PageSize };
        var whole = new SessionMessagesParams { Id = longChat.Id };
        var samples = new Dictionary<string, List<double>> { ["sqlite"] = [], ["page"] = [], ["open"] = [], ["get"] = [], ["whole"] = [] };
        async Task<T> Timed<T>(string name, int round, Func<Task<T>> run)
        {
            var clock = Stopwatch.StartNew();
            var result = await run();
            if (round >= 2) samples[name].Add(clock.Elapsed.TotalMilliseconds);
            return result;
        }
        for (var i = 0; i < 12; i++)
        {
            var local = await Timed("sqlite", i, () => Task.FromResult(store.Messages(longChat.Id).Count));
            var latest = await Timed("page", i, () => peer.RequestAsync(Methods.SessionMessages, page, ctx.SessionMessagesParams, ctx.SessionMessagesResult));
            // What the panel does when it opens: the session and the latest page, side by side.
            await Timed("open", i, async () =>
            {
                var get = peer.RequestAsync(Methods.SessionGet, new IdParams { Id = longChat.Id }, ctx.IdParams, ctx.Session);
                var messages = peer.RequestAsync(Methods.SessionMessages, page, ctx.SessionMessagesParams, ctx.SessionMessagesResult);
                return (await get, await messages);
            });
            var session = await Timed("get", i, () => peer.RequestAsync(Methods.SessionGet, new IdParams { Id = longChat.Id }, ctx.IdParams, ctx.Session));
            var all = await Timed("whole", i, () => peer.RequestAsync(Methods.SessionMessages, whole, ctx.SessionMessagesParams, ctx.SessionMessagesResult));
            if (local != Messages || all.Messages.Count != Messages || all.HasMore || latest.Messages.Count != PageSize || !latest.HasMore
                || latest.Messages[^1].Seq != Messages - 1 || session.MessageCount != Messages)
                throw new InvalidOperationException("the long chat is not whole, or its latest page is not the latest");
        }
        string Median(string name) => Stats.Ms(Stats.Percentile(samples[name], 50));
        Console.WriteLine($"open a chat of {Messages:N0} messages (medians of 10; {Stats.Load()}):");
        Console.WriteLine($"  latest page of {PageSize}, session/messages through the sidecar, parsed by the client: {Median("page")}");
        Console.WriteLine($"  opening the panel (session/get and the latest page at once): {Median("open")}; session/get alone {Median("get")}");
        Console.WriteLine($"  every message: read from SQLite {Median("sqlite")}; session/messages through the sidecar {Median("whole")}");
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
            // Reasoning and text take turns every 50 deltas, as answers that think between tool calls do: each turn opens a new part.
            var field = i / 50 % 2 == 0 ? "content" : "reasoning";
            var chunk = new JsonObject { ["id"] = "c", ["object"] = "chat.completion.chunk", ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject { [field] = $"d{i} " } }) };
            var frame = Encoding.UTF8.GetBytes($"data: {chunk.ToJsonString()}\n\n");
            written[i] = Stopwatch.GetTimestamp();
            await stream.WriteAsync(frame);
            await Task.Delay(5);
        }
        await stream.WriteAsync("data: [DONE]\n\n"u8.ToArray());
        client.Client.Shutdown(SocketShutdown.Both);
    }
}
