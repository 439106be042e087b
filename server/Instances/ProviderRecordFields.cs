using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Plue.Codex.Kinds;
using Plue.Protocol;

namespace Plue.Instances;

/// <summary>
/// A provider instance's fields (templates/llm-provider.json5, or the design notes' names for two of them), read by
/// <see cref="FieldBinding"/>'s rule; their names are <see cref="InstanceFields"/>', for the code that writes them.
/// </summary>
public sealed record ProviderRecordFields
{
    private static readonly ProviderFieldsJsonContext s_json = new(FieldBinding.Options());

    public static ProviderRecordFields Of(JsonObject fields) => FieldBinding.Bind(fields, s_json.ProviderRecordFields);

    [JsonPropertyName(InstanceFields.CatalogProviderId)] public string? CatalogProviderId { get; init; }
    [JsonPropertyName(InstanceFields.ProviderTypeAlias)] public string? ProviderType { get; init; }
    [JsonPropertyName(InstanceFields.Endpoint)] public string? Endpoint { get; init; }
    [JsonPropertyName(InstanceFields.TimeoutMs)] public int? TimeoutMs { get; init; }
    [JsonPropertyName(InstanceFields.FirstByteTimeoutMs)] public int? FirstByteTimeoutMs { get; init; }
    [JsonPropertyName(InstanceFields.StallTimeoutMs)] public int? StallTimeoutMs { get; init; }
    [JsonPropertyName(InstanceFields.AnswerTimeoutMs)] public int? AnswerTimeoutMs { get; init; }
    [JsonPropertyName(InstanceFields.RetryMaxAttempts)] public int? RetryMaxAttempts { get; init; }
    [JsonPropertyName(InstanceFields.RetryBaseDelayMs)] public int? RetryBaseDelayMs { get; init; }
    [JsonPropertyName(InstanceFields.Enabled)] public bool? Enabled { get; init; }
    [JsonPropertyName(InstanceFields.ApiKeyRef)] public string? ApiKeyRef { get; init; }
    [JsonPropertyName(InstanceFields.DefaultModel)] public string? DefaultModel { get; init; }
    [JsonPropertyName(InstanceFields.ModelAlias)] public string? Model { get; init; }
    [JsonPropertyName(InstanceFields.MaxInputPrice)] public double? MaxInputPrice { get; init; }
    [JsonPropertyName(InstanceFields.MinContextWindow)] public int? MinContextWindow { get; init; }
    [JsonPropertyName(InstanceFields.Allow)] public IReadOnlyList<string> Allow { get; set; } = [];
    [JsonPropertyName(InstanceFields.Deny)] public IReadOnlyList<string> Deny { get; set; } = [];
    [JsonPropertyName(InstanceFields.CliPath)] public string? CliPath { get; init; }
    [JsonPropertyName(InstanceFields.CliArgs)] public IReadOnlyList<string> CliArgs { get; set; } = [];
    [JsonPropertyName(InstanceFields.CliEnv)] public IReadOnlyList<string> CliEnv { get; set; } = [];
    [JsonPropertyName(InstanceFields.CliAllowedHosts)] public IReadOnlyList<string> CliAllowedHosts { get; set; } = [];
    [JsonPropertyName(InstanceFields.Credential)] public string? Credential { get; init; }
    [JsonPropertyName(InstanceFields.ApiVersion)] public string? ApiVersion { get; init; }
    [JsonPropertyName(InstanceFields.Project)] public string? Project { get; init; }
    [JsonPropertyName(InstanceFields.Region)] public string? Region { get; init; }
    [JsonPropertyName(InstanceFields.Profile)] public string? Profile { get; init; }
    [JsonPropertyName(InstanceFields.Deployments)] public IReadOnlyList<string> Deployments { get; set; } = [];
    [JsonPropertyName(InstanceFields.Local)] public bool? Local { get; init; }
    [JsonPropertyName(InstanceFields.ContextWindow)] public int? ContextWindow { get; init; }
    [JsonPropertyName(InstanceFields.Fallbacks), JsonConverter(typeof(FieldList<ModelFallbackFields>))] public IReadOnlyList<ModelFallbackFields> Fallbacks { get; set; } = [];
    [JsonPropertyName(InstanceFields.Temperature)] public double? Temperature { get; init; }
    [JsonPropertyName(InstanceFields.MaxTokens)] public int? MaxTokens { get; init; }
    [JsonPropertyName(InstanceFields.ReasoningEffort)] public string? ReasoningEffort { get; init; }

    /// <summary>The catalog provider the record names, under either name.</summary>
    [JsonIgnore] public string? ProviderId => CatalogProviderId ?? ProviderType;

    /// <summary>The default model the record names, under either name.</summary>
    [JsonIgnore] public string? ModelName => DefaultModel ?? Model;

    [JsonIgnore] public CredentialKind CredentialKind => Credential == "auth_token" ? CredentialKind.AuthToken : CredentialKind.ApiKey;

    [JsonIgnore] public ModelFilter ModelFilter => new()
    {
        MaxInputPrice = MaxInputPrice,
        MinContextWindow = MinContextWindow,
        Allow = Allow is { Count: > 0 } ? Allow : null,
        Deny = Deny is { Count: > 0 } ? Deny : null,
    };

    /// <summary>The instance's fallback chain; null when it has none.</summary>
    [JsonIgnore] public IReadOnlyList<ModelFallback>? FallbackChain => ModelFallbackFields.Chain(Fallbacks);

    /// <summary>The deployments, kept as <c>model=deployment</c> lines any form can edit, as a map; null when there are none.</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, string>? DeploymentMap
    {
        get
        {
            if (Deployments.Count == 0) return null;
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in Deployments)
            {
                var eq = line.IndexOf('=');
                if (eq > 0 && eq < line.Length - 1) map.TryAdd(line[..eq].Trim(), line[(eq + 1)..].Trim());
            }
            return map;
        }
    }
}
