using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Plue.Providers;

/// <summary>
/// Reads one chunk of a stream (an SSE event's data, an NDJSON line) into its wire record. What the format allows is
/// skipped (an empty <c>data:</c>, a <c>null</c>); anything else that is not the record becomes a
/// <see cref="ProviderException"/> that says in words what was wrong, never the serializer's own message.
/// </summary>
internal static class StreamChunk
{
    /// <summary>The record, or null for a chunk to skip.</summary>
    public static T? Read<T>(ReadOnlySpan<byte> data, JsonTypeInfo<T> type, ProviderConnection connection, string? requestId) where T : class
    {
        var text = data.Trim(" \t\r\n"u8);
        if (text.IsEmpty) return null;
        try
        {
            return JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException e)
        {
            throw ProviderErrors.MalformedChunk(connection, Describe(text, e), requestId);
        }
    }

    /// <summary>
    /// A chunk read as a JSON object, for a wire read without a record type (Bedrock's event payloads); the caller disposes it.
    /// An empty chunk, or one that is not an object, is as malformed as broken JSON.
    /// </summary>
    public static JsonDocument ReadObject(ReadOnlyMemory<byte> data, ProviderConnection connection, string? requestId)
    {
        var text = data.Span.Trim(" \t\r\n"u8);
        if (text.IsEmpty) throw ProviderErrors.MalformedChunk(connection, "an empty payload where an object belongs", requestId);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(data);
        }
        catch (JsonException e)
        {
            throw ProviderErrors.MalformedChunk(connection, Describe(text, e), requestId);
        }
        if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
        doc.Dispose();
        throw ProviderErrors.MalformedChunk(connection, Describe(text, new JsonException()), requestId);
    }

    private static string Describe(ReadOnlySpan<byte> text, JsonException e)
    {
        var shown = Encoding.UTF8.GetString(text[..Math.Min(text.Length, 120)]) + (text.Length > 120 ? "…" : "");
        var what = text[0] switch
        {
            (byte)'{' when e.Path is { Length: > 1 } path => $"a value of the wrong type at {path}",
            (byte)'{' => "an object that is not valid JSON",
            (byte)'[' => "an array where an object belongs",
            (byte)'"' => "a string where an object belongs",
            (byte)'t' or (byte)'f' => "a boolean where an object belongs",
            (byte)'-' or (>= (byte)'0' and <= (byte)'9') => "a number where an object belongs",
            _ => "text that is not JSON",
        };
        return $"{what} ({shown})";
    }
}
