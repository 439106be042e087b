using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>
/// A <c>catalog</c> record (templates/catalog.json5) and the catalog provider it stands for: the record's title is
/// the provider's name, its fields (<see cref="CatalogFields"/>) the rest, each model an object of its <c>models</c> list.
/// </summary>
public static class CatalogRecords
{
    public const string TemplateId = "catalog";
    public const string ProviderId = "provider_id";
    public const string ProviderType = "provider_type";
    public const string Endpoint = "endpoint";
    public const string ApiKeyEnv = "api_key_env";
    public const string DefaultModel = "default_model";
    public const string SmallModel = "small_model";
    public const string Models = "models";

    /// <summary>The <c>source</c> of a file a record wrote: the record's id, so a file tells whose it is.</summary>
    public static string Source(string recordId) => "codex:" + recordId;

    /// <summary>A record's fields as their type (the template checked them before the record kept them).</summary>
    public static CatalogFields Read(JsonObject fields) => fields.Deserialize(CatalogFieldsJsonContext.Default.CatalogFields) ?? new CatalogFields();

    /// <summary>The provider a record's fields describe, named <paramref name="name"/>.</summary>
    public static CatalogProvider ToProvider(string name, JsonObject fields, string? source = null)
    {
        var read = Read(fields);
        return new()
        {
            Id = read.ProviderId ?? "",
            Name = name,
            Type = Text(read.ProviderType) ?? ProviderTypes.OpenAICompatible,
            DefaultEndpoint = Text(read.Endpoint)?.TrimEnd('/'),
            ApiKeyEnv = Text(read.ApiKeyEnv),
            DefaultLargeModelId = Text(read.DefaultModel),
            DefaultSmallModelId = Text(read.SmallModel),
            Source = source,
            Models = [.. (read.Models ?? []).Where(m => m is not null).Select(ToModel)],
        };
    }

    /// <summary>The record fields of a provider (an imported file): what the template keeps, nothing else.</summary>
    public static JsonObject ToFields(CatalogProvider provider) => JsonSerializer.SerializeToNode(new CatalogFields
    {
        ProviderId = provider.Id,
        ProviderType = provider.Type,
        Endpoint = Text(provider.DefaultEndpoint),
        ApiKeyEnv = Text(provider.ApiKeyEnv),
        DefaultModel = Text(provider.DefaultLargeModelId),
        SmallModel = Text(provider.DefaultSmallModelId),
        Models = [.. provider.Models.Select(ToFields)],
    }, CatalogFieldsJsonContext.Default.CatalogFields)!.AsObject();

    /// <summary>Where a problem <see cref="CatalogValidator"/> names ("models[0].prices.input: …") is in the record: the field it belongs to.</summary>
    public static string FieldOf(string problem)
    {
        var path = problem.Split(':', 2)[0];
        return path switch
        {
            "id" => ProviderId,
            "name" => "title",
            "type" => ProviderType,
            "defaultEndpoint" => Endpoint,
            "defaultLargeModelId" => DefaultModel,
            "defaultSmallModelId" => SmallModel,
            _ when path.StartsWith(Models, StringComparison.Ordinal) => Models,
            _ => ProviderId,
        };
    }

    /// <summary>
    /// A problem <see cref="CatalogValidator"/> names by the file's member ("defaultLargeModelId: …") as the form names
    /// it, by the field's label (templates/catalog.json5): "Default model: …", "Models, model 1, Input (USD per 1M tokens): …".
    /// </summary>
    public static string InLabels(string problem)
    {
        var colon = problem.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0) return problem;
        var path = problem[..colon];
        var label = path switch
        {
            "id" => "Provider id",
            "name" => "Name",
            "type" => "Type",
            "defaultEndpoint" => "Endpoint",
            "apiKeyEnv" => "Key variable",
            "defaultLargeModelId" => "Default model",
            "defaultSmallModelId" => "Small model",
            _ => ModelLabel(path),
        };
        return label is null ? problem : label + problem[colon..];
    }

    private static string? ModelLabel(string path)
    {
        var match = System.Text.RegularExpressions.Regex.Match(path, @"^models\[(\d+)\](?:\.(.+))?$");
        if (!match.Success) return null;
        var model = $"Models, model {int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1}";
        var member = match.Groups[2].Success ? match.Groups[2].Value : null;
        var label = member switch
        {
            null => null,
            "id" => "Model id",
            "name" => "Name",
            "contextWindow" => "Context window (tokens)",
            "maxOutput" => "Max output (tokens)",
            "prices.input" => "Input (USD per 1M tokens)",
            "prices.output" => "Output (USD per 1M tokens)",
            "prices.cacheRead" => "Cache read (USD per 1M tokens)",
            "prices.cacheWrite" => "Cache write (USD per 1M tokens)",
            "defaultReasoningEffort" => "Default effort",
            "reasoningLevels" => "Reasoning levels",
            _ => member,
        };
        return label is null ? model : $"{model}, {label}";
    }

    private static CatalogModel ToModel(CatalogModelFields model) => new()
    {
        Id = model.Id ?? "",
        Name = Text(model.Name) ?? model.Id ?? "",
        ContextWindow = Integer(model.ContextWindow),
        MaxOutput = Integer(model.MaxOutput),
        Prices = new ModelPrices
        {
            Input = model.InputPrice,
            Output = model.OutputPrice,
            CacheRead = model.CacheReadPrice,
            CacheWrite = model.CacheWritePrice,
        },
        CanReason = model.CanReason is true,
        ReasoningLevels = [.. (model.ReasoningLevels ?? []).Where(l => l.Length > 0)],
        DefaultReasoningEffort = Text(model.DefaultReasoningEffort),
        SupportsAttachments = model.SupportsAttachments is true,
    };

    private static CatalogModelFields ToFields(CatalogModel model) => new()
    {
        Id = model.Id,
        Name = model.Name == model.Id ? null : Text(model.Name),
        ContextWindow = model.ContextWindow,
        MaxOutput = model.MaxOutput,
        InputPrice = model.Prices?.Input,
        OutputPrice = model.Prices?.Output,
        CacheReadPrice = model.Prices?.CacheRead,
        CacheWritePrice = model.Prices?.CacheWrite,
        CanReason = model.CanReason is true ? true : null,
        ReasoningLevels = model.ReasoningLevels is { Count: > 0 } levels ? levels : null,
        DefaultReasoningEffort = Text(model.DefaultReasoningEffort),
        SupportsAttachments = model.SupportsAttachments is true ? true : null,
    };

    /// <summary>An empty text is no value (a form sends "" for a box left empty).</summary>
    private static string? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static int? Integer(double? value) => value is { } n ? (int)Math.Min(n, int.MaxValue) : null;
}
