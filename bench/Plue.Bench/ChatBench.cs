using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Plue.Acp;
using Plue.Protocol;
using Plue.Providers;
using Plue.Providers.Transform;
using Plue.Rpc;
using Plue.Sessions;
using Plue.Store;
using Plue.Transcripts;

namespace Plue.Bench;

/// <summary>
/// Chats through the real sidecar against a fake OpenAI provider in its own process, each figure beside its floor:
/// a plain HttpClient reading the same fake (time to first delta, total, deltas/s), the fake's own CPU per delta (from
/// a fresh process's first turns and in steady state),
/// the same turn on a new chat and a plain HttpClient posting the same request (a long chat's turn), raw SQLite (a long chat's latest page) and the JSON-RPC
/// responder built both ways (idle memory, cold start to a first delta).
/// </summary>
internal static class ChatBench
{
    private const int PageSize = 200;

    /// <summary><c>session/messages</c> with its answer read as JSON, not bound to the wire records.</summary>
    private static readonly Plue.Rpc.RequestType<SessionMessagesParams, JsonElement> s_messagesRead = new(Contract.SessionMessages.Name,
        () => Contract.SessionMessages.ParamsType, () => (System.Text.Json.Serialization.Metadata.JsonTypeInfo<JsonElement>)JsonSerializerOptions.Default.GetTypeInfo(typeof(JsonElement)));

    public static async Task RunAsync(BenchTargets targets, Figures figures)
    {
        // The fake provider: a C program that only writes the stream, so its own CPU per delta is what writing a
        // delta costs (one write, one sleep), the floor of the sidecar's; .NET's fakes spend more of their own (the
        // Native AOT one 200-450 µs a delta, composite ReadyToRun ~1.6 ms), which hid the sidecar's cost beside them.
        var (provider, providerName) = targets.Provider;
        using var fake = FakeProvider.Start(provider);
        using var http = new HttpClient();
        // A turn's own work (its request built, its messages stored) falls on its deltas: a short run's turns of 200 put
        // five times the full run's weight of it on each, so both run 1,000 (5 s a turn).
        const int paced = 1000;

        // A fresh process's first turns: what a user's first answers cost, JIT or none.
        var (plueCpu, fakeCpu) = await FirstTurnsCpuAsync(targets, fake, paced);
        figures.Add("chat: CPU per delta, 5 ms pace, turns 1-2", "µs", providerName, plueCpu, fakeCpu, "≤ 2.00×");

        var home = Directory.CreateTempSubdirectory("plue-bench-chat-").FullName;
        var chat = await ChatSidecar.StartAsync(targets.Sidecar, home, fake.BaseUrl);
        var session = await chat.NewChatAsync("Short");

        var (plue, floor) = await Figures.InterleaveAsync(targets.Rounds(30, 8), 3,
            () => chat.TurnAsync(session, "bench 20 0"), () => HttpTurnAsync(http, fake.BaseUrl, "bench 20 0"));
        figures.Add("chat: time to first delta (warm)", "ms", "HttpClient on the fake", Column(plue, 0), Column(floor, 0), "≤ +5 ms");
        figures.Add("chat: answer of 20 deltas (warm)", "ms", "HttpClient on the fake", Column(plue, 1), Column(floor, 1), "≤ +10 ms");

        // Every delta's trip from the fake's write to the reader, at a 5 ms pace: what the sidecar adds to each token.
        (plue, floor) = await Figures.InterleaveAsync(targets.Rounds(20, 6), 2,
            async () => { await chat.TurnAsync(session, "bench 20 5"); return [.. chat.DeltaLatencies]; },
            async () =>
            {
                List<double> trips = [];
                await HttpTurnAsync(http, fake.BaseUrl, RequestBody("bench 20 5"), trips);
                return [.. trips];
            });
        figures.Add("chat: each delta, fake's write → read, 5 ms pace", "ms", "HttpClient on the fake", [.. plue.SelectMany(s => s)], [.. floor.SelectMany(s => s)], "p99 ≤ +1 ms");

        var burst = targets.Rounds(20_000, 5_000);
        (plue, floor) = await Figures.InterleaveAsync(targets.Rounds(5, 2), 1,
            async () => [burst / ((await chat.TurnAsync(session, $"bench {burst} 0"))[1] / 1000)],
            async () => [burst / ((await HttpTurnAsync(http, fake.BaseUrl, $"bench {burst} 0"))[1] / 1000)]);
        figures.Add("chat: deltas/s at full rate", "/s", "HttpClient on the fake", Column(plue, 0), Column(floor, 0), "≥ 50,000/s");

        // Steady state: the same after the turns above (tens of them).
        (plueCpu, fakeCpu) = await CpuPerDeltaAsync(chat, fake, session, paced, turns: targets.Rounds(3, 2));
        figures.Add("chat: CPU per delta, 5 ms pace, steady", "µs", providerName, plueCpu, fakeCpu, "≤ 2.00×");

        var (longChat, twoThousand, longWarm) = await LongChatAsync(targets, figures, chat, home, session, http, fake.BaseUrl);
        await CodexListFigures.AddAsync(targets, figures, chat, home);

        // Idle: what an open window holds while nobody chats, once the sidecar has had its idle trim: this one after
        // all the above (the long chat's transcript kept), and a fresh one after 16 turns of a short chat, as a day's
        // window usually is. Both wait out their trims in the same delay.
        var sixteenHome = Directory.CreateTempSubdirectory("plue-bench-idle-").FullName;
        var sixteen = await ChatSidecar.StartAsync(targets.Sidecar, sixteenHome, fake.BaseUrl);
        var sixteenChat = await sixteen.NewChatAsync("Sixteen turns");
        for (var i = 0; i < 16; i++) await sixteen.TurnAsync(sixteenChat, "bench 20 0");
        await Task.Delay(Plue.Sidecar.IdleTrim.Delay + TimeSpan.FromSeconds(1));
        var idle = chat.Process.ResidentBytes / 1048576.0;
        var idleSixteen = ProcessFigures.Resident(sixteen.Process.Id);
        var idleSixteenTotal = sixteen.Process.ResidentBytes / 1048576.0;
        await sixteen.DisposeAsync();
        Directory.Delete(sixteenHome, recursive: true);
        Console.WriteLine($"profile: the idle sidecar's resident memory by kind (/proc/…/smaps_rollup): {ProcessFigures.ResidentByKind(chat.Process.Id)}");
        // The trim gave the heap back: the long chat's next turn faults back in what it needs (its transcript stays kept).
        var afterTrim = (await chat.TurnAsync(longChat, "bench 20 0"))[0];
        Console.WriteLine($"profile: the long chat's first turn after the idle trim: first delta {afterTrim:F1} ms (its turns before: median {longWarm:F1} ms)");
        foreach (var (name, program) in targets.Responders("JSON-RPC responder"))
        {
            await using var responder = SidecarProcess.Start(program, home);
            await responder.Peer.RequestAsync(Contract.Initialize, new InitializeParams());
            await Task.Delay(200);
            figures.Add("resident memory, idle after chatting", "MiB", name, [idle], [responder.ResidentBytes / 1048576.0], "≤ 2.5× AOT");
            figures.Add("resident memory, idle after 16 turns", "MiB", name, [idleSixteenTotal], [responder.ResidentBytes / 1048576.0], "≤ 2.5× AOT");
            // Its split: the file-backed part is the executable's own code and data, which only a smaller executable cuts.
            if (idleSixteen is { } split && ProcessFigures.Resident(responder.Id) is { } floorSplit)
            {
                figures.Add("  of which anonymous", "MiB", name, [split.Anonymous], [floorSplit.Anonymous]);
                figures.Add("  of which file-backed", "MiB", name, [split.FileBacked], [floorSplit.FileBacked]);
            }
        }
        await chat.DisposeAsync();

        Task<double> ExistingChat(string sidecar) => ColdFirstDeltaAsync(sidecar, home, cold => Task.FromResult(session));
        await figures.CompareEachAsync("spawn → first delta of an existing chat", "ms", targets.Rounds(10, 3), warmUp: 1,
            () => ExistingChat(targets.Sidecar), [.. ResponderStarts(targets, home), .. CompareBuild(targets, ExistingChat)], "≤ 40 ms");

        Task<double> TwoThousand(string sidecar) => ColdFirstDeltaAsync(sidecar, home, cold => Task.FromResult(twoThousand));
        await figures.CompareEachAsync("spawn → first delta of a 2,000-message chat", "ms", targets.Rounds(10, 3), warmUp: 1,
            () => TwoThousand(targets.Sidecar), [.. ResponderStarts(targets, home), .. CompareBuild(targets, TwoThousand)], "≤ 60 ms");

        Task<double> NewChat(string sidecar) => ColdFirstDeltaAsync(sidecar, home, cold => cold.NewChatAsync("Cold", chat.InstanceId));
        await figures.CompareEachAsync("spawn → first delta of a new chat", "ms", targets.Rounds(10, 3), warmUp: 1,
            () => NewChat(targets.Sidecar), [.. ResponderStarts(targets, home), .. CompareBuild(targets, NewChat)], "≤ 40 ms");

        await StartProfileAsync(targets, home, chat.InstanceId);
        await AcpAsync(targets, figures, home, chat.InstanceId);

        // A window opened a moment before the user sends (a second to read and type): its first turn against its next.
        List<double> first = [], next = [];
        for (var i = 0; i < targets.Rounds(5, 3); i++)
        {
            await using var opened = await ChatSidecar.StartAsync(targets.Sidecar, home, providerUrl: null);
            await Task.Delay(TimeSpan.FromSeconds(1));
            first.Add((await opened.TurnAsync(session, "bench 20 0"))[0]);
            next.Add((await opened.TurnAsync(session, "bench 20 0"))[0]);
        }
        figures.Add("chat: first delta, turn 1 s after spawn", "ms", "its next turn", first, next);
        Directory.Delete(home, recursive: true);
    }

    /// <summary>Where a cold start's time goes: one more new chat's first turn with PLUE_TIMINGS=1, its steps printed.</summary>
    private static async Task StartProfileAsync(BenchTargets targets, string home, string instanceId)
    {
        var environment = new Dictionary<string, string> { ["PLUE_TIMINGS"] = "1" };
        await using (var cold = await ChatSidecar.StartAsync(targets.Sidecar, home, providerUrl: null, environment))
        {
            await cold.TurnAsync(await cold.NewChatAsync("Profiled", instanceId), "bench 20 0");
            Console.WriteLine("profile: a new chat's cold start, ms since spawn (PLUE_TIMINGS=1):");
            foreach (var line in cold.Process.Log.Where(l => l.StartsWith("plue timings:", StringComparison.Ordinal)))
                Console.WriteLine("  " + line["plue timings:".Length..].Trim());
        }
    }

    /// <summary>Spawn → the first delta a client reads of a turn on the chat <paramref name="chatOf"/> gives (made in the sidecar, or one it has).</summary>
    private static async Task<double> ColdFirstDeltaAsync(string sidecar, string home, Func<ChatSidecar, Task<string>> chatOf)
    {
        var clock = Stopwatch.StartNew();
        await using var cold = await ChatSidecar.StartAsync(sidecar, home, providerUrl: null);
        var ttft = await cold.TurnAsync(await chatOf(cold), "bench 20 0");
        return clock.Elapsed.TotalMilliseconds - ttft[1] + ttft[0];
    }

    /// <summary>The same cold first turn with the <c>--compare</c> build, interleaved with this one's, when it is given.</summary>
    private static IEnumerable<(string Name, Func<Task<double>> Run)> CompareBuild(BenchTargets targets, Func<string, Task<double>> run) =>
        targets.Compare is { } other ? [("plue, --compare build", () => run(other))] : [];

    /// <summary>The floors of a cold start: each minimal responder, spawned and answering initialize.</summary>
    private static IEnumerable<(string Name, Func<Task<double>> Run)> ResponderStarts(BenchTargets targets, string home) =>
        targets.Responders("responder spawn→init").Select(r => (r.Name, (Func<Task<double>>)(async () =>
        {
            var clock = Stopwatch.StartNew();
            await using var responder = SidecarProcess.Start(r.Program, home);
            await responder.Peer.RequestAsync(Contract.Initialize, new InitializeParams());
            return clock.Elapsed.TotalMilliseconds;
        })));

    /// <summary>
    /// <c>plue acp</c> as an editor starts it (spawn, initialize, session/new, session/prompt) to its first
    /// agent_message_chunk, beside the same through the window's sidecar (spawn, initialize, session/create,
    /// session/send to its first delta): what ACP and the command line's in-process sidecar add to a first answer.
    /// </summary>
    private static async Task AcpAsync(BenchTargets targets, Figures figures, string home, string instanceId)
    {
        var folder = Directory.CreateDirectory(Path.Combine(home, "acp-project")).FullName;
        await figures.CompareAsync("ACP: spawn → first session/update chunk, new session", "ms", "the window's sidecar, new chat", targets.Rounds(10, 3), 1,
            () => AcpFirstChunkAsync(targets.Sidecar, home, folder),
            async () =>
            {
                var clock = Stopwatch.StartNew();
                await using var window = await ChatSidecar.StartAsync(targets.Sidecar, home, providerUrl: null);
                var turn = await window.TurnAsync(await window.NewChatAsync("ACP floor", instanceId), "bench 20 0");
                return clock.Elapsed.TotalMilliseconds - turn[1] + turn[0];
            }, "≤ 1.5×");
    }

    private static async Task<double> AcpFirstChunkAsync(string program, string home, string folder)
    {
        var clock = Stopwatch.StartNew();
        var chunk = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var router = new RequestRouter();
        router.Add(AcpMethods.SessionUpdate, (update, _) =>
        {
            if (update.Update.SessionUpdate == "agent_message_chunk") chunk.TrySetResult(clock.Elapsed.TotalMilliseconds);
            return ValueTask.CompletedTask;
        });
        await using var acp = SidecarProcess.Start(program, ["acp", "--model", ChatSidecar.Model], home, router, "Warning", Framing.NewlineDelimited,
            new Dictionary<string, string>(), folder);
        await acp.Peer.RequestAsync(AcpMethods.Initialize, new AcpInitializeRequest { ProtocolVersion = AcpMethods.ProtocolVersion });
        var session = await acp.Peer.RequestAsync(AcpMethods.SessionNew, new AcpNewSessionRequest { Cwd = folder, McpServers = [] });
        var answer = await acp.Peer.RequestAsync(AcpMethods.SessionPrompt, new AcpPromptRequest
        {
            SessionId = session.SessionId, Prompt = [new AcpContentBlock { Type = "text", Text = "bench 20 0" }],
        });
        if (answer.StopReason != "end_turn" || !chunk.Task.IsCompleted)
            throw new InvalidOperationException($"plue acp's turn ended {answer.StopReason} without a chunk: " + string.Join(" | ", acp.Log));
        return await chunk.Task;
    }

    /// <summary>
    /// Turns 1 and 2 of several fresh sidecars, each in a home of its own, as a new window's first chat: one process's
    /// two turns of 200 deltas were too few to read a median from (the ratio swung from 2.6× to 6.8× between runs of
    /// the same build, its floor from 30 to 65 µs).
    /// </summary>
    private static async Task<(List<double> Plue, List<double> Fake)> FirstTurnsCpuAsync(BenchTargets targets, FakeProvider fake, int deltas)
    {
        List<double> plue = [], own = [];
        for (var i = 0; i < targets.Rounds(3, 2); i++)
        {
            var home = Directory.CreateTempSubdirectory("plue-bench-first-").FullName;
            await using (var fresh = await ChatSidecar.StartAsync(targets.Sidecar, home, fake.BaseUrl))
            {
                var chat = await fresh.NewChatAsync("First turns");
                // Its start's own work done first (the warm-up, the start's reads): a user's first message comes a second
                // or more after the window opens, and the start is the spawn → first delta figures' to show.
                await fresh.QuietAsync();
                var (p, f) = await CpuPerDeltaAsync(fresh, fake, chat, deltas, turns: 2);
                Console.WriteLine($"profile: a fresh sidecar's turns 1 and 2, CPU per delta: {p[0]:F0} and {p[1]:F0} µs, the C writer's {f[0]:F0} and {f[1]:F0} µs");
                plue.AddRange(p);
                own.AddRange(f);
            }
            Directory.Delete(home, recursive: true);
        }
        return (plue, own);
    }

    /// <summary>CPU per delta of the sidecar and of the fake over <paramref name="turns"/> turns of <paramref name="deltas"/> deltas, one every 5 ms.</summary>
    private static async Task<(List<double> Plue, List<double> Fake)> CpuPerDeltaAsync(ChatSidecar chat, FakeProvider fake, string session, int deltas, int turns)
    {
        List<double> plue = [], own = [];
        for (var i = 0; i < turns; i++)
        {
            TimeSpan sidecarBefore = chat.Process.CpuTime, fakeBefore = fake.CpuTime;
            await chat.TurnAsync(session, $"bench {deltas} 5");
            if (chat.Deltas != deltas) throw new InvalidOperationException($"{chat.Deltas} of {deltas} deltas arrived");
            plue.Add((chat.Process.CpuTime - sidecarBefore).TotalMicroseconds / deltas);
            own.Add((fake.CpuTime - fakeBefore).TotalMicroseconds / deltas);
        }
        return (plue, own);
    }

    /// <summary>A chat of 10,000 messages (2,000 in a short run) written straight into the store, with usage as real answers have.</summary>
    /// <returns>The long chat, a chat of 2,000 messages (the long one in a short run), and the median time to the long chat's first delta.</returns>
    private static async Task<(string Id, string TwoThousand, double FirstDelta)> LongChatAsync(BenchTargets targets, Figures figures, ChatSidecar chat, string home, string shortChat, HttpClient http, string providerUrl)
    {
        var count = targets.Rounds(10_000, 2_000);
        var longChat = await chat.NewChatAsync("Long");
        using var meters = new Plue.Sidecar.SidecarMeters(); // the sidecar's, which the store's instruments need
        var store = new MessageStore(new Database(Path.Combine(home, "plue.db")), meters);
        WriteHistory(store, longChat, count);
        // The cold start's long chat is the targets' 2,000 messages (the short run's long chat is that already).
        var twoThousand = count == 2_000 ? longChat : await chat.NewChatAsync("Two thousand");
        if (twoThousand != longChat) WriteHistory(store, twoThousand, 2_000);
        var (plue, floor) = await Figures.InterleaveAsync(targets.Rounds(10, 3), 1,
            () => chat.TurnAsync(longChat, "bench 20 0"), () => chat.TurnAsync(shortChat, "bench 20 0"));
        figures.Add($"chat: time to first delta, {count:N0} messages", "ms", "the same on a short chat", Column(plue, 0), Column(floor, 0), "≤ +10 ms");
        var warm = Stats.Percentile(Column(plue, 0), 50);

        // What sending that history costs anyone: a plain HttpClient posting the same request (the sidecar's own
        // serializer, from the same store) to the same fake. The gap to it is what the sidecar adds to a long turn.
        var history = TranscriptBuilder.Build(store.Messages(longChat));
        history.Add(new ChatMessage(ChatRole.User, "bench 20 0"));
        var body = OpenAITransform.BuildRequest(history, null, ChatSidecar.Model, OpenAICompatibleProfile.For("openai"), stream: true).ToArray();
        (plue, floor) = await Figures.InterleaveAsync(targets.Rounds(10, 3), 1,
            () => chat.TurnAsync(longChat, "bench 20 0"), () => HttpTurnAsync(http, providerUrl, body));
        figures.Add($"chat: time to first delta, {count:N0} messages", "ms", $"HttpClient posting its {body.Length / 1e6:F1} MB request", Column(plue, 0), Column(floor, 0));

        await figures.CompareAsync($"session/get of a {count:N0}-message chat", "ms", "the same on a short chat", targets.Rounds(40, 10), warmUp: 5,
            () => TimedAsync(() => chat.Peer.RequestAsync(Contract.SessionGet, new IdParams { Id = longChat })),
            () => TimedAsync(() => chat.Peer.RequestAsync(Contract.SessionGet, new IdParams { Id = shortChat })), "≈ 1×");

        using var connection = new SqliteConnection($"Data Source={Path.Combine(home, "plue.db")};Mode=ReadOnly");
        connection.Open();
        // The answer read as JSON, its messages counted, as codex/list's: typing 200 messages in this process is the
        // bench's work, not the sidecar's. A short run takes nearly as many rounds: a median of 10 swung by a fifth.
        await chat.QuietAsync();
        await figures.CompareAsync($"session/messages, latest {PageSize} of {count:N0}", "ms", "raw SQLite, same query", targets.Rounds(40, 30), warmUp: 5,
            async () =>
            {
                var start = Stopwatch.GetTimestamp();
                var page = await chat.Peer.RequestAsync(s_messagesRead, new SessionMessagesParams { Id = longChat, Limit = PageSize });
                var messages = page.GetProperty("messages").GetArrayLength();
                if (messages != PageSize) throw new InvalidOperationException($"session/messages gave {messages} messages, not {PageSize}");
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            },
            () => TimedAsync(() => Task.FromResult(RawPage(connection, longChat))));
        return (longChat, twoThousand, warm);
    }

    /// <summary>Writes <paramref name="count"/> messages straight into the store, with usage as real answers have.</summary>
    private static void WriteHistory(MessageStore store, string chatId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var answer = i % 2 == 1;
            store.InsertMessage(new SessionMessage
            {
                Id = Guid.CreateVersion7().ToString(), SessionId = chatId, Seq = i, Role = answer ? MessageRole.Assistant : MessageRole.User, Status = MessageStatus.Complete,
                Parts = [new TextPart { Id = Guid.CreateVersion7().ToString(), Text = $"Message {i}: " + new string('x', 200) }],
                Usage = answer ? new TokenUsage { Input = 1000 + i, Output = 200 } : null, CostUsd = answer ? 0.001m : null,
                CreatedAt = DateTimeOffset.UtcNow,
            }, owner: null);
        }
    }

    /// <summary>The floor for a page: the sidecar's own query, every column read, nothing built from it.</summary>
    private static int RawPage(SqliteConnection connection, string sessionId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = MessageStore.PageSql;
        command.Parameters.AddWithValue("$s", sessionId);
        command.Parameters.AddWithValue("$before", int.MaxValue);
        command.Parameters.AddWithValue("$limit", PageSize);
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            for (var c = 0; c < reader.FieldCount; c++) _ = reader.GetValue(c);
            rows++;
        }
        return rows;
    }

    /// <summary>The floor for a turn: a plain HttpClient posting to the fake and reading its SSE, each delta parsed.</summary>
    private static Task<double[]> HttpTurnAsync(HttpClient http, string baseUrl, string text) => HttpTurnAsync(http, baseUrl, RequestBody(text));

    private static byte[] RequestBody(string text) =>
        JsonSerializer.SerializeToUtf8Bytes(new { model = ChatSidecar.Model, stream = true, messages = new[] { new { role = "user", content = text } } });

    /// <summary>The same with a request body made beforehand (a long chat's); each delta's trip from the fake added to <paramref name="trips"/>.</summary>
    private static async Task<double[]> HttpTurnAsync(HttpClient http, string baseUrl, byte[] body, List<double>? trips = null)
    {
        var clock = Stopwatch.StartNew();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/chat/completions") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-bench");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double first = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            if (line == "data: [DONE]") break;
            var readAt = Stopwatch.GetTimestamp();
            using var chunk = JsonDocument.Parse(line.AsMemory(6));
            if (!chunk.RootElement.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var text)) continue;
            if (first == 0) first = clock.Elapsed.TotalMilliseconds;
            if (trips is not null) DeltaStamps.Collect(text.GetString(), readAt, trips);
        }
        return [first, clock.Elapsed.TotalMilliseconds];
    }

    private static async Task<double> TimedAsync<T>(Func<Task<T>> run)
    {
        var start = Stopwatch.GetTimestamp();
        await run();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static List<double> Column(List<double[]> samples, int index) => [.. samples.Select(s => s[index])];
}
