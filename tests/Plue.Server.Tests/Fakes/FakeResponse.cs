namespace Plue.Tests.Fakes;

/// <summary>
/// What a fake server answers to one request: status, headers, a body streamed in steps (chunked encoding, each
/// step flushed), and how it ends: complete, cut (the connection closed mid-body), or held open until the client leaves.
/// </summary>
public sealed record FakeResponse
{
    public int Status { get; init; } = 200;
    public string ContentType { get; init; } = "application/json";
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    public IReadOnlyList<FakeStep> Steps { get; init; } = [];

    /// <summary>Wait before sending even the status line (for first-byte timeouts).</summary>
    public TimeSpan HeaderDelay { get; init; }

    /// <summary>The response is decided later: this one is replaced by what <see cref="Later"/> gives, once it completes.</summary>
    public Func<Task<FakeResponse>>? Later { get; init; }

    /// <summary>After the steps, close the connection without ending the chunked body.</summary>
    public bool Cut { get; init; }

    /// <summary>After the steps, send nothing more and wait until the client closes the connection.</summary>
    public bool HoldOpen { get; init; }

    public static FakeResponse Json(int status, string json, params (string Name, string Value)[] headers) => new()
    {
        Status = status,
        Headers = [.. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))],
        Steps = [new FakeStep(json)],
    };

    /// <summary>A stream of pieces (SSE frames or NDJSON lines), each sent after <paramref name="gap"/>.</summary>
    public static FakeResponse Stream(string contentType, IEnumerable<string> pieces, TimeSpan gap = default) => new()
    {
        ContentType = contentType,
        Steps = [.. pieces.Select(p => new FakeStep(p, gap))],
    };

    public FakeResponse WithHeaders(params (string Name, string Value)[] headers) =>
        this with { Headers = [.. Headers, .. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))] };
}
