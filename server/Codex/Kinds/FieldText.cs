using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plue.Codex.Kinds;

/// <summary>A text field: an empty string, or anything but a string, is absent.</summary>
public sealed class FieldText : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        reader.Skip();
        return text is { Length: > 0 } ? text : null;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
