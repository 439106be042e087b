using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plue.Codex.Kinds;

/// <summary>A boolean field: anything but true or false is absent.</summary>
public sealed class FieldFlag : JsonConverter<bool?>
{
    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        bool? flag = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
        reader.Skip();
        return flag;
    }

    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
    {
        if (value is { } flag) writer.WriteBooleanValue(flag);
        else writer.WriteNullValue();
    }
}
