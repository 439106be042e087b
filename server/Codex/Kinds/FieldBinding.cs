using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Plue.Codex.Kinds;

/// <summary>
/// Reads a record's fields into a feature's typed record (source-generated, so it holds under Native AOT), by one
/// rule for every kind: an empty string is absent, a number may be given as a number or as a string, an absent
/// list is empty, and a value of the wrong shape is absent rather than an error, since a record may predate its
/// template's rules or come from a user's own template.
/// </summary>
public static class FieldBinding
{
    /// <summary>The options a feature's field context is built on: they hold the rule's converters.</summary>
    public static JsonSerializerOptions Options() => new()
    {
        Converters =
        {
            new FieldText(),
            new FieldFlag(),
            new FieldTime(),
            new FieldNumber<int>(),
            new FieldNumber<long>(),
            new FieldNumber<double>(),
            new FieldNumber<decimal>(),
            new FieldList<string>(),
        },
    };

    public static T Bind<T>(JsonObject fields, JsonTypeInfo<T> type) =>
        fields.Deserialize(type) ?? throw new InvalidOperationException($"{typeof(T).Name} bound to nothing");
}
