using System.Text.Json;

namespace Plue.Catalog;

/// <summary>
/// What <c>catalog/list</c> shows of a shipped provider file, read without deserializing its models: a forward-only
/// <see cref="Utf8JsonReader"/> pass that skips everything else and counts the models. The shipped catalog is
/// ~700 KB; a full source-generated parse of all of it (plus the JIT of its generic converters) costs a fresh
/// sidecar ~40 ms, this pass a few. A provider's models are parsed when they are first asked for.
/// </summary>
public static class CatalogFileHeader
{
    private static readonly JsonReaderOptions s_options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Throws <see cref="JsonException"/> when the file is not a provider object with id, name, type and models.</summary>
    public static CatalogEntry Read(ReadOnlySpan<byte> utf8, string path)
    {
        var reader = new Utf8JsonReader(utf8, s_options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a provider file must hold one JSON object");
        string? id = null, name = null, type = null, endpoint = null, apiKeyEnv = null;
        bool? supported = null;
        int? models = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueSpan;
            reader.Read();
            if (property.SequenceEqual("id"u8)) id = String(ref reader);
            else if (property.SequenceEqual("name"u8)) name = String(ref reader);
            else if (property.SequenceEqual("type"u8)) type = String(ref reader);
            else if (property.SequenceEqual("defaultEndpoint"u8)) endpoint = String(ref reader);
            else if (property.SequenceEqual("apiKeyEnv"u8)) apiKeyEnv = String(ref reader);
            else if (property.SequenceEqual("supported"u8)) supported = reader.TokenType == JsonTokenType.Null ? null : reader.GetBoolean();
            else if (property.SequenceEqual("models"u8)) models = Count(ref reader);
            else reader.Skip();
        }
        var summary = CatalogEntry.Summarize(
            id ?? throw new JsonException("missing 'id'"),
            name ?? throw new JsonException("missing 'name'"),
            type ?? throw new JsonException("missing 'type'"),
            endpoint,
            models ?? throw new JsonException("missing 'models'"),
            "shipped",
            (supported ?? true) && ProviderTypes.Supported.Contains(type));
        // The API key's variable is read here so environment instances need not parse every provider's models.
        return new CatalogEntry(summary, apiKeyEnv, path);
    }

    private static string? String(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetString();

    private static int Count(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("'models' must be an array");
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            count++;
        }
        return count;
    }
}
