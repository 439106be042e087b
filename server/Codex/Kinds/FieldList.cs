using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Plue.Codex.Kinds;

/// <summary>
/// A list field: absent (or not a list) is empty. Its items follow the rule of their own type; an item that reads
/// as absent (an empty string, an object where text belongs) is left out. A list property is <c>{ get; set; } = []</c>:
/// the source generator gives an absent init-only property its default, null.
/// </summary>
public sealed class FieldList<T> : JsonConverter<IReadOnlyList<T>> where T : class
{
    public override bool HandleNull => true;

    public override IReadOnlyList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return [];
        }
        var item = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var text = typeof(T) == typeof(string);
        var items = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // An object never reads as text, nor text as an object: such an item is skipped, not an error.
            if (text || reader.TokenType == JsonTokenType.StartObject)
            {
                if (JsonSerializer.Deserialize(ref reader, item) is { } value) items.Add(value);
            }
            else reader.Skip();
        }
        return items;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options)
    {
        var item = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        foreach (var entry in value) JsonSerializer.Serialize(writer, entry, item);
        writer.WriteEndArray();
    }
}
