using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Plue.Tests.Fakes;

/// <summary>
/// Agent scripts: tasks running in parallel share one server, so each is answered by its own script, picked by a marker
/// its first user message (the task's goal) contains; the reply is the script's turn-th, turn being how many assistant
/// messages the request already carries. A <see cref="Rendezvous"/> holds chosen first replies until all their
/// requests have arrived, which only parallel callers can satisfy.
/// </summary>
public sealed partial class FakeOpenAIServer
{
    private readonly ConcurrentDictionary<string, FakeResponse[]> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Meeting> _rendezvous = new(StringComparer.Ordinal);

    /// <summary>A rendezvous: completes once <see cref="Expected"/> callers have arrived.</summary>
    private sealed class Meeting(int expected)
    {
        private int _arrived;
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Expected => expected;
        public int Arrived => Volatile.Read(ref _arrived);
        public Task All => _all.Task;
        public void Arrive()
        {
            if (Interlocked.Increment(ref _arrived) == expected) _all.TrySetResult();
        }
    }

    /// <summary>Answers the task whose goal contains <paramref name="marker"/>: turn 0 with the first response, turn 1 with the next...</summary>
    public void Script(string marker, params FakeResponse[] turns) => _scripts[marker] = turns;

    /// <summary>The first turn of each of these tasks is answered only once all of them have asked (or after <paramref name="timeout"/>, with an error).</summary>
    public void Rendezvous(TimeSpan timeout, params string[] markers)
    {
        var meeting = new Meeting(markers.Length);
        foreach (var marker in markers) _rendezvous[marker] = meeting;
        RendezvousTimeout = timeout;
    }

    private TimeSpan RendezvousTimeout { get; set; }

    /// <summary>The requests made for the task whose goal holds <paramref name="marker"/>.</summary>
    public IReadOnlyList<RecordedRequest> RequestsOf(string marker) => [.. Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal) && MarkerOf(r) == marker)];

    private FakeResponse? Scripted(RecordedRequest request)
    {
        if (request.Method != "POST" || MarkerOf(request) is not { } marker) return null;
        var turns = _scripts[marker];
        var turn = request.Json["messages"]!.AsArray().Count(m => m?["role"]?.GetValue<string>() == "assistant");
        var reply = turn < turns.Length ? turns[turn] : FakeResponse.Json(500, ErrorBody($"the script for {marker} has no turn {turn}", "server_error"));
        if (turn > 0 || !_rendezvous.TryGetValue(marker, out var meeting)) return reply;
        meeting.Arrive();
        // Waited for without holding a thread: a blocked pool thread could starve the very callers it waits for.
        var timeout = RendezvousTimeout;
        return new FakeResponse
        {
            Later = async () =>
            {
                try
                {
                    await meeting.All.WaitAsync(timeout);
                    return reply;
                }
                catch (TimeoutException)
                {
                    return FakeResponse.Json(500, ErrorBody($"rendezvous: only {meeting.Arrived} of {meeting.Expected} parallel tasks asked", "server_error"));
                }
            },
        };
    }

    private string? MarkerOf(RecordedRequest request)
    {
        if (_scripts.IsEmpty) return null;
        JsonNode? firstUser;
        try
        {
            firstUser = request.Json["messages"]?.AsArray().FirstOrDefault(m => m?["role"]?.GetValue<string>() == "user");
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        var text = firstUser?["content"]?.ToJsonString() ?? "";
        return _scripts.Keys.FirstOrDefault(marker => text.Contains(marker, StringComparison.Ordinal));
    }

    // --- agent replies ----------------------------------------------------------------------------------------

    /// <summary>A streamed reply as a response.</summary>
    public static FakeResponse Sse(IEnumerable<string> frames, TimeSpan gap = default) => FakeResponse.Stream("text/event-stream", frames, gap);

    /// <summary>Tool calls, as OpenAI streams them: each call's first fragment with id and name, its arguments in two pieces; then usage.</summary>
    public static FakeResponse ToolCalls(int promptTokens, int completionTokens, params (string Id, string Name, JsonObject Arguments)[] calls)
    {
        var frames = new List<string> { Role() };
        for (var i = 0; i < calls.Length; i++)
        {
            var arguments = calls[i].Arguments.ToJsonString();
            var half = arguments.Length / 2;
            frames.Add(ToolCallStart(i, calls[i].Id, calls[i].Name, arguments[..half]));
            frames.Add(ToolCallArguments(i, arguments[half..]));
        }
        frames.AddRange([Finish("tool_calls"), Usage(promptTokens, completionTokens), Done()]);
        return Sse(frames);
    }

    /// <summary>A final answer (no tool call) with its usage.</summary>
    public static FakeResponse Final(string text, int promptTokens = 100, int completionTokens = 10) =>
        Sse([Role(), Content(text), Finish("stop"), Usage(promptTokens, completionTokens), Done()]);

    /// <summary>Starts answering, then sends nothing more until the client closes the connection.</summary>
    public static FakeResponse Hanging(string text = "Working on it") =>
        Sse([Role(), Content(text)]) with { HoldOpen = true };
}
