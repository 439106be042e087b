using System.Text.Json;

namespace Plue.Catalog;

/// <summary>
/// What <c>catalog/list</c> shows of a provider file, read without deserializing its models: a forward-only
/// <see cref="Utf8JsonReader"/> pass that skips everything else and counts the models. The shipped catalog is
/// ~700 KB; a full source-generated parse of all of it (plus the JIT of its generic converters) costs a fresh
/// sidecar ~40 ms, this pass a few. A provider's models are parsed when they are first asked for.
/// </summary>
public sealed record CatalogFileHeader
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Type { get; init; }
    public bool? Supported { get; init; }
    public string? DefaultEndpoint { get; init; }
    /// <summary>Read here so environment instances need not parse every provider's models.</summary>
    public string? ApiKeyEnv { get; init; }
    public required int ModelCount { get; init; }

    private static readonly JsonReaderOptions s_options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Throws <see cref="JsonException"/> when the file is not a provider object with id, name, type and models.</summary>
    public static CatalogFileHeader Read(ReadOnlySpan<byte> utf8)
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
        return new CatalogFileHeader
        {
            Id = id ?? throw new JsonException("missing 'id'"),
            Name = name ?? throw new JsonException("missing 'name'"),
            Type = type ?? throw new JsonException("missing 'type'"),
            Supported = supported,
            DefaultEndpoint = endpoint,
            ApiKeyEnv = apiKeyEnv,
            ModelCount = models ?? throw new JsonException("missing 'models'"),
        };
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
