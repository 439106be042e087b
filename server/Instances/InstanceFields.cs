using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Protocol;

namespace Plue.Instances;

/// <summary>The <c>llm-provider</c> template's field names (templates/llm-provider.json5) and how values are written into them; <see cref="ProviderRecordFields"/> reads them.</summary>
internal static class InstanceFields
{
    public const string TemplateId = "llm-provider";
    public const string Collection = "providers";

    public const string CatalogProviderId = "catalog_provider_id";
    public const string Endpoint = "endpoint";
    public const string TimeoutMs = "timeout_ms";
    public const string FirstByteTimeoutMs = "first_byte_timeout_ms";
    public const string StallTimeoutMs = "stall_timeout_ms";
    public const string AnswerTimeoutMs = "answer_timeout_ms";
    public const string RetryMaxAttempts = "retry_max_attempts";
    public const string RetryBaseDelayMs = "retry_base_delay_ms";
    public const string Enabled = "enabled";
    public const string ApiKeyRef = "api_key_ref";
    public const string DefaultModel = "default_model";
    public const string MaxInputPrice = "model_filter_max_input_price";
    public const string MinContextWindow = "model_filter_min_context_window";
    public const string Allow = "model_filter_allow";
    public const string Deny = "model_filter_deny";
    public const string CliPath = "cli_path";
    public const string CliArgs = "cli_args";
    public const string CliEnv = "cli_env";
    public const string CliAllowedHosts = "cli_allowed_hosts";
    public const string Credential = "credential";
    public const string ApiVersion = "api_version";
    public const string Project = "project";
    public const string Region = "region";
    public const string Profile = "aws_profile";
    public const string Deployments = "deployments";
    public const string Local = "local";
    public const string ContextWindow = "context_window";
    public const string Fallbacks = "fallbacks";
    public const string Temperature = "temperature";
    public const string MaxTokens = "max_tokens";
    public const string ReasoningEffort = "reasoning_effort";

    // The design notes' names for catalog_provider_id and default_model (see Aliases).
    public const string ProviderTypeAlias = "provider_type";
    public const string ModelAlias = "model";

    public static JsonArray FromDeployments(IReadOnlyDictionary<string, string> map) =>
        new([.. map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (JsonNode?)JsonValue.Create($"{p.Key}={p.Value}"))]);

    public static JsonArray FromFallbacks(IReadOnlyList<ModelFallback> fallbacks) =>
        new([.. fallbacks.Select(f => (JsonNode?)new JsonObject { ["provider_ref"] = f.ProviderRef, ["model_id"] = f.ModelId })]);

    public static string? FromCredential(CredentialKind? kind) => kind switch
    {
        CredentialKind.AuthToken => "auth_token",
        CredentialKind.ApiKey => "api_key",
        _ => null,
    };

    /// <summary>The names a template in the design notes' words uses for the same fields.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Aliases = new Dictionary<string, string?>
    {
        [CatalogProviderId] = ProviderTypeAlias,
        [DefaultModel] = ModelAlias,
    };

    /// <summary>The four filter fields; null members remove the field when written back.</summary>
    public static IEnumerable<KeyValuePair<string, JsonNode?>> FromFilter(ModelFilter filter) =>
    [
        new(MaxInputPrice, filter.MaxInputPrice is { } max ? JsonValue.Create(max) : null),
        new(MinContextWindow, filter.MinContextWindow is { } min ? JsonValue.Create(min) : null),
        new(Allow, filter.Allow is { Count: > 0 } allow ? new JsonArray([.. allow.Select(a => (JsonNode?)JsonValue.Create(a))]) : null),
        new(Deny, filter.Deny is { Count: > 0 } deny ? new JsonArray([.. deny.Select(d => (JsonNode?)JsonValue.Create(d))]) : null),
    ];
}
