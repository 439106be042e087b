using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>
/// A <c>catalog</c> record (templates/catalog.json5) and the catalog provider it stands for: the record's title is
/// the provider's name, its fields the rest, each model an object of its <c>models</c> list.
/// </summary>
public static class CatalogRecords
{
    public const string TemplateId = "catalog";
    public const string ProviderId = "provider_id";
    public const string ProviderType = "provider_type";
    public const string Endpoint = "endpoint";
    public const string ApiKeyEnv = "api_key_env";
    public const string DefaultModel = "default_model";
    public const string Models = "models";

    /// <summary>The <c>source</c> of a file a record wrote: the record's id, so a file tells whose it is.</summary>
    public static string Source(string recordId) => "codex:" + recordId;

    /// <summary>The provider a record's fields describe, named <paramref name="name"/>.</summary>
    public static CatalogProvider ToProvider(string name, JsonObject fields, string? source = null) => new()
    {
        Id = Text(fields, ProviderId) ?? "",
        Name = name,
        Type = Text(fields, ProviderType) ?? ProviderTypes.OpenAICompatible,
        DefaultEndpoint = Text(fields, Endpoint)?.TrimEnd('/'),
        ApiKeyEnv = Text(fields, ApiKeyEnv),
        DefaultLargeModelId = Text(fields, DefaultModel),
        Source = source,
        Models = [.. (fields[Models] as JsonArray ?? []).OfType<JsonObject>().Select(ToModel)],
    };

    /// <summary>The record fields of a provider (an imported file): what the template keeps, nothing else.</summary>
    public static JsonObject ToFields(CatalogProvider provider)
    {
        var fields = new JsonObject
        {
            [ProviderId] = provider.Id,
            [ProviderType] = provider.Type,
            [Models] = new JsonArray([.. provider.Models.Select(m => (JsonNode)ToFields(m))]),
        };
        Put(fields, Endpoint, provider.DefaultEndpoint);
        Put(fields, ApiKeyEnv, provider.ApiKeyEnv);
        Put(fields, DefaultModel, provider.DefaultLargeModelId);
        return fields;
    }

    /// <summary>Where a problem <see cref="CatalogValidator"/> names ("models[0].prices.input: …") is in the record: the field it belongs to.</summary>
    public static string FieldOf(string problem)
    {
        var path = problem.Split(':', 2)[0];
        return path switch
        {
            "id" => ProviderId,
            "type" => ProviderType,
            "defaultEndpoint" => Endpoint,
            "defaultLargeModelId" or "defaultSmallModelId" => DefaultModel,
            _ when path.StartsWith(Models, StringComparison.Ordinal) => Models,
            _ => ProviderId,
        };
    }

    private static CatalogModel ToModel(JsonObject model) => new()
    {
        Id = Text(model, "id") ?? "",
        Name = Text(model, "name") ?? Text(model, "id") ?? "",
        ContextWindow = Integer(model, "context_window"),
        MaxOutput = Integer(model, "max_output"),
        Prices = new ModelPrices
        {
            Input = Number(model, "input_price"),
            Output = Number(model, "output_price"),
            CacheRead = Number(model, "cache_read_price"),
            CacheWrite = Number(model, "cache_write_price"),
        },
        CanReason = Flag(model, "can_reason"),
        ReasoningLevels = [],
        SupportsAttachments = Flag(model, "supports_attachments"),
    };

    private static JsonObject ToFields(CatalogModel model)
    {
        var fields = new JsonObject { ["id"] = model.Id };
        Put(fields, "name", model.Name == model.Id ? null : model.Name);
        Put(fields, "context_window", model.ContextWindow);
        Put(fields, "max_output", model.MaxOutput);
        Put(fields, "input_price", model.Prices?.Input);
        Put(fields, "output_price", model.Prices?.Output);
        Put(fields, "cache_read_price", model.Prices?.CacheRead);
        Put(fields, "cache_write_price", model.Prices?.CacheWrite);
        if (model.CanReason is true) fields["can_reason"] = true;
        if (model.SupportsAttachments is true) fields["supports_attachments"] = true;
        return fields;
    }

    private static void Put(JsonObject fields, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) fields[name] = value;
    }

    private static void Put(JsonObject fields, string name, double? value)
    {
        if (value is { } v) fields[name] = v;
    }

    private static string? Text(JsonObject fields, string name) =>
        fields[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s ? s : null;

    private static double? Number(JsonObject fields, string name) =>
                // Read from its JSON text: a value set in code may hold an int, which GetValue<double> would refuse.
        fields[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;

    private static int? Integer(JsonObject fields, string name) => Number(fields, name) is { } n ? (int)Math.Min(n, int.MaxValue) : null;

    private static bool Flag(JsonObject fields, string name) => fields[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;
}
