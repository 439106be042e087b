using System.Text.Json;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Providers;

/// <summary>
/// The one error every HTTP backend throws: a message people can act on, the kind, the HTTP status and the
/// provider's request id (for support tickets). Never carries the API key. Becomes RPC error -33003.
/// </summary>
public sealed class ProviderException(ProviderErrorKind kind, string message, int? status = null, string? requestId = null,
    TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public ProviderErrorKind Kind { get; } = kind;

    /// <summary>The HTTP status (or OpenRouter's int error code mid-stream); null for transport failures.</summary>
    public int? Status { get; } = status;

    /// <summary>The provider's request id (<c>request-id</c>, <c>x-request-id</c> or the body's <c>request_id</c>).</summary>
    public string? RequestId { get; } = requestId;

    /// <summary>When the provider said to try again (rate limits).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The JSON-RPC form: code -33003, this message, and <c>{kind, status, requestId, retryAfterMs}</c> as data.</summary>
    public RpcException ToRpcException()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", JsonNamingPolicy.CamelCase.ConvertName(Kind.ToString()));
            if (Status is { } s) writer.WriteNumber("status", s);
            if (RequestId is { } id) writer.WriteString("requestId", id);
            if (RetryAfter is { } wait) writer.WriteNumber("retryAfterMs", (long)wait.TotalMilliseconds);
            writer.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return new RpcException(PlueErrorCodes.ProviderError, Message, doc.RootElement.Clone(), this);
    }
}
