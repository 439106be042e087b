using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Plue.Providers.Bedrock;

namespace Plue.Tests.Fakes;

/// <summary>
/// A loopback Bedrock runtime (docs/PROVIDERS.md, section 8): <c>POST /model/{id}/converse-stream</c> answers the script
/// only when the request's SigV4 signature is the one its secret gives for exactly what was sent (method, path, body,
/// signed headers), else 403 as AWS does. The static helpers build event-stream frames with their CRCs.
/// </summary>
public sealed class FakeBedrockServer : IAsyncDisposable
{
    public static readonly AwsCredentials Credentials = new("AKIDPLUETEST", "plue/SECRET/access+key", "session-TOKEN-1");

    public FakeBedrockServer()
    {
        Http.Handler = Route;
    }

    public LoopbackHttpServer Http { get; } = new();

    public string Endpoint => Http.Url;

    public IReadOnlyList<RecordedRequest> Requests => Http.Requests;

    /// <summary>A Bedrock API key, accepted as a bearer instead of a signature.</summary>
    public string? BearerKey { get; set; }

    public void EnqueueStream(params byte[][] frames) => Http.Enqueue(new FakeResponse
    {
        ContentType = "application/vnd.amazon.eventstream",
        Steps = [.. frames.Select(f => new FakeStep("") { Bytes = f })],
    });

    public void Enqueue(params FakeResponse[] responses) => Http.Enqueue(responses);

    private FakeResponse Route(RecordedRequest request)
    {
        if (!request.Path.StartsWith("/model/", StringComparison.Ordinal) || !request.Path.EndsWith("/converse-stream", StringComparison.Ordinal))
            return FakeResponse.Json(404, """{"message":"Unknown operation"}""");
        var authorization = request.Header("authorization") ?? "";
        var ok = BearerKey is not null ? authorization == "Bearer " + BearerKey : SignatureMatches(request, authorization);
        return ok ? Http.Next() : FakeResponse.Json(403, """{"message":"The request signature we calculated does not match the signature you provided."}""",
            ("x-amzn-ErrorType", "InvalidSignatureException"));
    }

    /// <summary>Signs the request as received, at the date it claims, and compares.</summary>
    private bool SignatureMatches(RecordedRequest request, string authorization)
    {
        if (request.Header("x-amz-security-token") != Credentials.SessionToken || request.Header("x-amz-date") is not { } date) return false;
        var body = Encoding.UTF8.GetBytes(request.Body);
        using var again = new HttpRequestMessage(new HttpMethod(request.Method), Http.Url + request.Path + request.Query) { Content = new ByteArrayContent(body) };
        again.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(request.Header("content-type")!);
        again.Headers.TryAddWithoutValidation("Accept", request.Header("accept"));
        var when = DateTimeOffset.ParseExact(date, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        SigV4.Sign(again, body, Credentials, "us-east-1", "bedrock", when);
        return again.Headers.GetValues("Authorization").Single() == authorization;
    }

    public ValueTask DisposeAsync() => Http.DisposeAsync();

    // --- event-stream frames ------------------------------------------------------------------------------------

    public static byte[] Event(string type, string json) => Frame([(":event-type", type), (":content-type", "application/json"), (":message-type", "event")], json);

    public static byte[] ExceptionFrame(string type, string message) =>
        Frame([(":exception-type", type), (":content-type", "application/json"), (":message-type", "exception")], new JsonObject { ["message"] = message }.ToJsonString());

    public static byte[] Frame((string Name, string Value)[] headers, string payload)
    {
        var head = new List<byte>();
        foreach (var (name, value) in headers)
        {
            head.Add((byte)name.Length);
            head.AddRange(Encoding.UTF8.GetBytes(name));
            head.Add(7);
            var v = Encoding.UTF8.GetBytes(value);
            head.Add((byte)(v.Length >> 8));
            head.Add((byte)v.Length);
            head.AddRange(v);
        }
        return Frame(head.ToArray(), payload);
    }

    /// <summary>A frame around headers already encoded (any value type), with both CRCs right.</summary>
    public static byte[] Frame(byte[] head, string payload)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        var total = 12 + head.Length + body.Length + 4;
        var frame = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(frame, total);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), head.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32.Compute(frame.AsSpan(0, 8)));
        head.CopyTo(frame, 12);
        body.CopyTo(frame, 12 + head.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), Crc32.Compute(frame.AsSpan(0, total - 4)));
        return frame;
    }

    public static byte[][] TextReply(params string[] pieces) =>
    [
        Event("messageStart", """{"role":"assistant"}"""),
        .. pieces.Select(p => Event("contentBlockDelta", new JsonObject { ["contentBlockIndex"] = 0, ["delta"] = new JsonObject { ["text"] = p } }.ToJsonString())),
        Event("contentBlockStop", """{"contentBlockIndex":0}"""),
        Event("messageStop", """{"stopReason":"end_turn"}"""),
        Event("metadata", """{"usage":{"inputTokens":11,"outputTokens":4,"totalTokens":15,"cacheReadInputTokens":5},"metrics":{"latencyMs":120}}"""),
    ];
}
