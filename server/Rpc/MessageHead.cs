using System.Text.Json;

namespace Plue.Rpc;

/// <summary>
/// The id and method of a body that could not be parsed whole (nested past the parser's depth, or broken after its
/// head), read by a scan of the top level alone, so its request is still answered under its id and named in the error.
/// </summary>
internal readonly record struct MessageHead(RequestId? Id, string? Method)
{
    /// <summary>How deep the scan follows; the scan holds no stack, so far past what a request may hold.</summary>
    private const int ScanDepth = 100_000;

    public static MessageHead Peek(ReadOnlySpan<byte> body)
    {
        RequestId? id = null;
        string? method = null;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = ScanDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                var isId = name.SequenceEqual("id"u8) && !reader.ValueIsEscaped;
                var isMethod = name.SequenceEqual("method"u8) && !reader.ValueIsEscaped;
                if (!reader.Read()) break;
                if (isId && reader.TokenType == JsonTokenType.String) id = new RequestId(reader.GetString()!);
                else if (isId && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n)) id = new RequestId(n);
                else if (isMethod && reader.TokenType == JsonTokenType.String) method = reader.GetString();
                else reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Broken further on: what was read before it still names the request.
        }
        return new MessageHead(id, method);
    }
}
