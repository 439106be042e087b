using System.Net.Http.Headers;
using System.Text.Json;

namespace Plue.Providers;

/// <summary>
/// Turns a provider's failure (HTTP status + body, a mid-stream error frame, a transport failure) into one
/// <see cref="ProviderException"/> with a message that says what happened and what to do. The one place
/// error wording lives, so every backend reads the same.
/// </summary>
internal static class ProviderErrors
{
    /// <summary>From an HTTP error response: <paramref name="body"/> is its text (possibly empty or not JSON).</summary>
    public static ProviderException FromResponse(ProviderConnection connection, int status, HttpResponseHeaders headers, string body, TimeSpan? retryAfter)
    {
        var detail = ParseBody(body);
        var requestId = HeaderRequestId(headers) ?? detail.RequestId;
        // Scrubbed before it is cut, so no part of a key is left at the cut.
        return Create(connection, status, detail.Type, detail.Code, detail.Message ?? Trim(Scrub(connection, body)), requestId, retryAfter);
    }

    /// <summary>From an error object sent inside a 200 stream (Anthropic <c>event: error</c>, OpenAI <c>data: {"error"}</c>, Ollama <c>{"error"}</c>).</summary>
    public static ProviderException FromStreamError(ProviderConnection connection, JsonElement error, string? requestId)
    {
        var detail = ReadError(error);
        var status = detail.Code is { } code && int.TryParse(code, out var n) && n is >= 400 and < 600 ? n : (int?)null;
        return Create(connection, status, detail.Type, detail.Code, detail.Message ?? error.GetRawText(), requestId ?? detail.RequestId, null);
    }

    public static ProviderException Timeout(ProviderConnection connection, bool firstByte, int ms, string? requestId) => new(ProviderErrorKind.Timeout,
        firstByte
            ? $"{Name(connection)} sent nothing within {Seconds(ms)}. The provider may be overloaded or the endpoint wrong; retry, or raise the instance's first-byte timeout."
            : $"{Name(connection)} stopped sending for {Seconds(ms)} in the middle of a response. Retry, or raise the instance's timeout." + Id(requestId),
        requestId: requestId);

    /// <summary>
    /// No complete event (an SSE event, an NDJSON line, an event-stream message) within the stall timeout once the answer
    /// had begun, bytes trickling or not: the endpoint stopped answering, so it counts as
    /// unreachable (a fallback may take the turn over when nothing was shown yet).
    /// </summary>
    public static ProviderException Stalled(ProviderConnection connection, int ms, string? requestId) => new(ProviderErrorKind.Unreachable,
        $"No complete chunk for {Seconds(ms)} from {connection.InstanceName ?? connection.InstanceId} in the middle of its answer; what arrived is kept. "
        + "Raise its stall timeout in its settings or try again." + Id(requestId),
        requestId: requestId);

    /// <summary>
    /// The answer took longer than the instance's answer time limit from its first byte, however the server kept the
    /// line alive: it is ended with what arrived kept, as a timeout.
    /// </summary>
    public static ProviderException AnswerTooLong(ProviderConnection connection, int ms, string? requestId) => new(ProviderErrorKind.Timeout,
        $"The answer from {connection.InstanceName ?? connection.InstanceId} took longer than its answer time limit of {Seconds(ms)}; what arrived is kept. "
        + "Raise the answer time limit in its settings for long answers, or try again." + Id(requestId),
        requestId: requestId);

    public static ProviderException StreamCut(ProviderConnection connection, string? requestId, Exception? inner = null) => new(ProviderErrorKind.StreamCut,
        $"The connection to {Name(connection)} closed before the response was complete (stream cut); what arrived is kept. Retry the message." + Id(requestId),
        requestId: requestId, inner: inner);

    /// <summary>A chunk of a 200 stream that its format does not allow; <paramref name="what"/> says what it was.</summary>
    public static ProviderException MalformedChunk(ProviderConnection connection, string what, string? requestId) => new(ProviderErrorKind.Malformed,
        $"{Name(connection)} sent a malformed chunk: {Scrub(connection, what)}. The answer stopped there; what arrived is kept. Retry; if it happens again, "
        + "check that the instance's endpoint speaks this provider's format." + Id(requestId),
        requestId: requestId);

    /// <summary>A line of the stream longer than <see cref="StreamLimits.MaxLineBytes"/>: it is not read further.</summary>
    public static ProviderException LineTooLong(ProviderConnection connection, string? requestId) => new(ProviderErrorKind.Malformed,
        $"{Name(connection)} sent a line of more than {StreamLimits.Describe(StreamLimits.MaxLineBytes)} in its stream, far more than any chunk "
        + "holds; the answer stopped there and what arrived before it is kept. Retry; if it happens again, the endpoint is misbehaving." + Id(requestId),
        requestId: requestId);

    /// <summary>An answer's part grew past <see cref="StreamLimits.MaxPartChars"/>.</summary>
    public static ProviderException PartTooLarge(ProviderConnection connection, string? requestId) => new(ProviderErrorKind.Malformed,
        $"{Name(connection)} sent a part of more than {StreamLimits.MaxPartChars / (1024 * 1024)} Mi characters, far more than any model "
        + "writes in one answer; the answer stopped there and what arrived up to the limit is kept. Retry; if it happens again, the endpoint is misbehaving."
        + Id(requestId),
        requestId: requestId);

    /// <summary>The endpoint answered with a redirect Plue does not follow (another server, too many hops, off HTTPS).</summary>
    public static ProviderException RedirectRefused(ProviderConnection connection, Exception inner) => new(ProviderErrorKind.Unreachable,
        $"{Name(connection)} at {connection.Endpoint}: {Scrub(connection, inner.Message)}", inner: inner);

    public static ProviderException Unreachable(ProviderConnection connection, Exception inner) => new(ProviderErrorKind.Unreachable,
        $"Cannot reach {Name(connection)} at {connection.Endpoint}: {Scrub(connection, inner.Message)} Check the endpoint and that the server is running.",
        inner: inner);

    private static ProviderException Create(ProviderConnection connection, int? status, string? type, string? code, string message, string? requestId, TimeSpan? retryAfter)
    {
        var name = Name(connection);
        // The provider's own sentence ends the clause; its full stop would double ours.
        var said = Scrub(connection, message).TrimEnd().TrimEnd('.');
        var http = status is { } s ? $" (HTTP {s})" : "";
        var kind = Classify(status, type, code, said);
        var text = kind switch
        {
            ProviderErrorKind.BadKey => $"{name} rejected the API key{http}: {said}. Check the key of '{connection.InstanceName ?? connection.InstanceId}' (Plue: Configure Provider Key).",
            ProviderErrorKind.NoCredit => $"{name} says the account has no credit{http}: {said}. Add credit or a payment method with the provider.",
            ProviderErrorKind.RateLimited => $"{name} is rate limiting this key{http}: {said}. "
                + (retryAfter is { } wait ? $"Retry in {Math.Ceiling(wait.TotalSeconds)} s." : "Wait a little and retry."),
            ProviderErrorKind.ModelNotFound => $"{name} does not know this model{http}: {said}. Pick another model or refresh the instance's model list.",
            ProviderErrorKind.ContextTooLong => $"The conversation is too long for the model's context window{http}: {said}. Start a new chat, compact it, or pick a model with a larger window.",
            ProviderErrorKind.Overloaded => $"{name} is overloaded{http}: {said}. Try again in a moment.",
            ProviderErrorKind.ServerError => $"{name} had a server error{http}: {said}. Try again; if it persists, check the provider's status page.",
            ProviderErrorKind.Timeout => $"{name} timed out{http}: {said}. Retry, or try a smaller request.",
            _ => $"{name} rejected the request{http}: {said}.",
        };
        return new ProviderException(kind, text + Id(requestId), status, requestId, retryAfter);
    }

    private static ProviderErrorKind Classify(int? status, string? type, string? code, string message)
    {
        // Throttling may speak of "too many tokens" too: a rate-limit type wins over the wording.
        if (type == "model_context_window_exceeded" || code == "context_length_exceeded" || LooksLikeContext(message) && status is null or 400 or 413 && type != "rate_limit_error")
            return ProviderErrorKind.ContextTooLong;
        switch (type)
        {
            case "authentication_error" or "permission_error": return ProviderErrorKind.BadKey;
            case "billing_error" or "insufficient_quota": return ProviderErrorKind.NoCredit;
            case "rate_limit_error": return ProviderErrorKind.RateLimited;
            case "not_found_error": return ProviderErrorKind.ModelNotFound;
            case "overloaded_error": return ProviderErrorKind.Overloaded;
            case "request_too_large": return ProviderErrorKind.ContextTooLong;
            case "timeout_error": return ProviderErrorKind.Timeout;
            // Mid-stream there is no status to read it from: the request itself was refused, retrying it would not help.
            case "invalid_request_error" when status is null: return ProviderErrorKind.BadRequest;
            case "UNAUTHENTICATED" or "PERMISSION_DENIED": return ProviderErrorKind.BadKey;
            case "RESOURCE_EXHAUSTED": return ProviderErrorKind.RateLimited;
            case "UNAVAILABLE": return ProviderErrorKind.Overloaded;
            // Gemini answers a bad key with 400 INVALID_ARGUMENT, saying so only in words.
            case "INVALID_ARGUMENT" when message.Contains("API key", StringComparison.OrdinalIgnoreCase): return ProviderErrorKind.BadKey;
        }
        if (code is "insufficient_quota") return ProviderErrorKind.NoCredit;
        return status switch
        {
            401 or 403 => ProviderErrorKind.BadKey,
            402 => ProviderErrorKind.NoCredit,
            404 => ProviderErrorKind.ModelNotFound,
            413 => ProviderErrorKind.ContextTooLong,
            429 => ProviderErrorKind.RateLimited,
            408 or 504 => ProviderErrorKind.Timeout,
            503 or 529 => ProviderErrorKind.Overloaded,
            >= 500 => ProviderErrorKind.ServerError,
            null => ProviderErrorKind.ServerError, // an error frame mid-stream without a code
            _ => ProviderErrorKind.BadRequest,
        };
    }

    private static bool LooksLikeContext(string message)
    {
        var m = message.ToLowerInvariant();
        return m.Contains("prompt is too long") || m.Contains("too many tokens")
            || m.Contains("context") && (m.Contains("length") || m.Contains("window") || m.Contains("too long") || m.Contains("maximum") || m.Contains("exceed"));
    }

    private readonly record struct Detail(string? Message, string? Type, string? Code, string? RequestId);

    private static Detail ParseBody(string body)
    {
        if (body.Length == 0 || body[0] is not ('{' or ' ' or '\n')) return default;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return default;
            var requestId = root.TryGetProperty("request_id", out var rid) && rid.ValueKind == JsonValueKind.String ? rid.GetString() : null;
            if (root.TryGetProperty("error", out var error)) return ReadError(error) with { RequestId = requestId };
            return new Detail(Str(root, "message") ?? Str(root, "detail"), Str(root, "type"), null, requestId);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>Anthropic <c>{type, message}</c>, OpenAI <c>{message, type, code}</c>, OpenRouter <c>{code:int, message}</c>, Ollama's bare string.</summary>
    private static Detail ReadError(JsonElement error)
    {
        if (error.ValueKind == JsonValueKind.String) return new Detail(error.GetString(), null, null, null);
        if (error.ValueKind != JsonValueKind.Object) return default;
        // An Anthropic error event wraps the error once more: {"type":"error","error":{...}}.
        if (error.TryGetProperty("error", out var inner) && inner.ValueKind is JsonValueKind.Object or JsonValueKind.String) return ReadError(inner);
        var code = error.TryGetProperty("code", out var c) ? c.ValueKind switch
        {
            JsonValueKind.String => c.GetString(),
            JsonValueKind.Number => c.GetRawText(),
            _ => null,
        } : null;
        // Google says {code, message, status}: its status (UNAUTHENTICATED, RESOURCE_EXHAUSTED, …) plays the part of a type.
        return new Detail(Str(error, "message"), Str(error, "type") ?? Str(error, "status"), code, Str(error, "request_id"));
    }

    private static string? Str(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static string? HeaderRequestId(HttpResponseHeaders headers) =>
        headers.TryGetValues("request-id", out var a) ? a.FirstOrDefault()
        : headers.TryGetValues("x-request-id", out var b) ? b.FirstOrDefault()
        : null;

    /// <summary>
    /// Some providers echo a rejected key or token, as sent or as the header carried it (<see cref="ProviderSecrets.Forms"/>).
    /// None of the connection's secrets reaches a message.
    /// </summary>
    internal static string Scrub(ProviderConnection connection, string message) => connection.Scrub(message);

    private static string Trim(string body)
    {
        var text = body.Trim();
        return text.Length == 0 ? "no details given" : text.Length > 300 ? text[..300] + "…" : text;
    }

    private static string Name(ProviderConnection connection) => connection.ProviderName ?? connection.CatalogProviderId;

    private static string Id(string? requestId) => requestId is null ? "" : $" (request id {requestId})";

    private static string Seconds(int ms) => ms % 1000 == 0 ? $"{ms / 1000} s" : $"{ms / 1000.0:0.###} s";
}
