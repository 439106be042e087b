using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plue.Rpc;

/// <summary>A JSON-RPC id: an integer or a string. Equality is by kind and value.</summary>
[JsonConverter(typeof(RequestIdConverter))]
public readonly record struct RequestId
{
    public long? Number { get; }
    public string? Text { get; }

    public RequestId(long number) => Number = number;
    public RequestId(string text) => Text = text;

    public override string ToString() => Text is null ? Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null" : $"\"{Text}\"";

    public void WriteTo(Utf8JsonWriter writer)
    {
        if (Text is not null) writer.WriteStringValue(Text);
        else writer.WriteNumberValue(Number ?? 0);
    }

    /// <summary>Reads an id, or returns false when the element is not an integer or a string.</summary>
    public static bool TryRead(JsonElement element, out RequestId id)
    {
        id = default;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                id = new RequestId(element.GetString()!);
                return true;
            case JsonValueKind.Number when element.TryGetInt64(out var n):
                id = new RequestId(n);
                return true;
            default:
                return false;
        }
    }
}

internal sealed class RequestIdConverter : JsonConverter<RequestId>
{
    public override RequestId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => new RequestId(reader.GetString()!),
            JsonTokenType.Number when reader.TryGetInt64(out var n) => new RequestId(n),
            _ => throw new JsonException("an id must be an integer or a string"),
        };

    public override void Write(Utf8JsonWriter writer, RequestId value, JsonSerializerOptions options) => value.WriteTo(writer);
}
