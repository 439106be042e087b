using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plue.Codex.Kinds;

/// <summary>A moment kept as ISO 8601 text; text that is not one is absent.</summary>
public sealed class FieldTime : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        reader.Skip();
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } at) writer.WriteStringValue(Stamp(at));
        else writer.WriteNullValue();
    }

    /// <summary>How a moment is written into a field.</summary>
    public static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
