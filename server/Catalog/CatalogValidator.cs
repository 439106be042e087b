using System.Globalization;
using System.Text.RegularExpressions;
using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>
/// Checks a catalog provider (a user file, or the params of <c>catalog/create</c> / <c>catalog/update</c>)
/// and lists every problem at once, each naming where it is, so one answer tells the user all to fix.
/// </summary>
public static partial class CatalogValidator
{
    /// <summary>Above this a price per 1M tokens is a typo (the dearest models cost a few hundred USD).</summary>
    public const double MaxPrice = 10_000;

    public static IReadOnlyList<string> Validate(CatalogProvider provider)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(provider.Id)) problems.Add("id: required");
        else if (!IdPattern().IsMatch(provider.Id))
            problems.Add($"id: '{provider.Id}' must be 1-64 of lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        if (string.IsNullOrWhiteSpace(provider.Name)) problems.Add("name: required");
        else CheckLength(provider.Name, "name", problems);

        var known = ProviderTypes.Supported.Contains(provider.Type ?? "") || ProviderTypes.Unsupported.Contains(provider.Type ?? "");
        // A file's "type": null reads as null although the member is required: it is missing, not another type.
        if (provider.Type is null)
            problems.Add($"type: required (one of {string.Join(", ", ProviderTypes.Supported.Concat(ProviderTypes.Unsupported))})");
        else if (!known)
            problems.Add($"type: '{provider.Type}' is not one of {string.Join(", ", ProviderTypes.Supported.Concat(ProviderTypes.Unsupported))}");

        if (provider.DefaultEndpoint is { } endpoint) CheckEndpoint(endpoint, problems);
        else if (known && ProviderTypes.NeedsEndpoint(provider.Type!) && ProviderTypes.Supported.Contains(provider.Type!) && !ProviderTypes.EndpointPerAccount(provider.Type!)
                 && !provider.IsCustomEndpoint)
            problems.Add("defaultEndpoint: required (an absolute http or https URL)");

        var models = provider.Models ?? [];
        if (provider.Models is null) problems.Add("models: required");
        else if (models.Count == 0 && !ProviderTypes.DiscoversModels(provider.Type ?? "") && !provider.IsCustomEndpoint)
            problems.Add($"models: at least one model is needed (only types {ProviderTypes.Ollama} and {ProviderTypes.VsCodeLm} discover their models at run time)");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < models.Count; i++) CheckModel(models[i], $"models[{i}]", seen, problems);

        CheckDefaultModel(provider.DefaultLargeModelId, "defaultLargeModelId", seen, provider.Type, problems);
        CheckDefaultModel(provider.DefaultSmallModelId, "defaultSmallModelId", seen, provider.Type, problems);
        return problems;
    }

    /// <summary>True when <paramref name="id"/> is a valid provider id (also a safe file name).</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    private static void CheckEndpoint(string endpoint, List<string> problems)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
            problems.Add($"defaultEndpoint: '{endpoint}' is not an absolute http or https URL");
    }

    private static void CheckModel(CatalogModel? model, string at, HashSet<string> seen, List<string> problems)
    {
        if (model is null)
        {
            problems.Add($"{at}: must be an object");
            return;
        }
        if (string.IsNullOrWhiteSpace(model.Id)) problems.Add($"{at}.id: required");
        else if (model.Id.Length > CatalogFiles.MaxNameLength) CheckLength(model.Id, $"{at}.id", problems);
        else if (!seen.Add(model.Id)) problems.Add($"{at}.id: duplicate model id '{model.Id}'");
        if (string.IsNullOrWhiteSpace(model.Name)) problems.Add($"{at}.name: required");
        else CheckLength(model.Name, $"{at}.name", problems);
        if (model.ContextWindow is <= 0) problems.Add($"{at}.contextWindow: must be positive");
        if (model.MaxOutput is <= 0) problems.Add($"{at}.maxOutput: must be positive");
        if (model.DefaultReasoningEffort is { } effort && model.ReasoningLevels is { Count: > 0 } levels && !levels.Contains(effort))
            problems.Add($"{at}.defaultReasoningEffort: '{effort}' is not one of its reasoningLevels ({string.Join(", ", levels)})");
        if (model.Prices is { } prices)
        {
            CheckPrice(prices.Input, $"{at}.prices.input", problems);
            CheckPrice(prices.Output, $"{at}.prices.output", problems);
            CheckPrice(prices.CacheRead, $"{at}.prices.cacheRead", problems);
            CheckPrice(prices.CacheWrite, $"{at}.prices.cacheWrite", problems);
        }
    }

    private static void CheckLength(string text, string at, List<string> problems)
    {
        if (text.Length > CatalogFiles.MaxNameLength)
            problems.Add($"{at}: {text.Length:N0} characters is longer than the {CatalogFiles.MaxNameLength} allowed; shorten it");
    }

    private static void CheckPrice(double? price, string at, List<string> problems)
    {
        if (price is not { } p) return;
        var shown = p.ToString(CultureInfo.InvariantCulture);
        if (double.IsNaN(p) || double.IsInfinity(p)) problems.Add($"{at}: {shown} is not a number");
        else if (p < 0) problems.Add($"{at}: {shown} is negative (use null for an unknown price)");
        else if (p > MaxPrice) problems.Add($"{at}: {shown} USD per 1M tokens is more than {MaxPrice:N0}; prices are per million tokens");
    }

    private static void CheckDefaultModel(string? id, string at, HashSet<string> models, string? type, List<string> problems)
    {
        if (id is null || ProviderTypes.DiscoversModels(type ?? "")) return;
        if (!models.Contains(id)) problems.Add($"{at}: '{id}' is not one of the provider's models");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();
}
