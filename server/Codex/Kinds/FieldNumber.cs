using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plue.Codex.Kinds;

/// <summary>
/// A number field, given as a JSON number or as text that reads as one (a form or a hand-written record may keep
/// "5"); beyond <typeparamref name="T"/>'s range it saturates, and a fraction read as a whole number is cut.
/// Anything else is absent.
/// </summary>
public sealed class FieldNumber<T> : JsonConverter<T?> where T : struct, INumber<T>
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var number = reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetDecimal(out var exact) => T.CreateSaturating(exact),
            JsonTokenType.Number when reader.TryGetDouble(out var floating) && double.IsFinite(floating) => T.CreateSaturating(floating),
            JsonTokenType.String => Parse(reader.GetString()!.Trim()),
            _ => (T?)null,
        };
        reader.Skip();
        return number;
    }

    private static T? Parse(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact) ? T.CreateSaturating(exact)
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var floating) && double.IsFinite(floating) ? T.CreateSaturating(floating)
        : null;

    public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options)
    {
        if (value is { } number) writer.WriteRawValue(number.ToString(null, CultureInfo.InvariantCulture));
        else writer.WriteNullValue();
    }
}
