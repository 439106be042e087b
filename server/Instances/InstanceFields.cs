using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Protocol;

namespace Plue.Instances;

/// <summary>The <c>llm-provider</c> template's field names (templates/llm-provider.json5) and typed reads of them.</summary>
internal static class InstanceFields
{
    public const string TemplateId = "llm-provider";
    public const string Collection = "providers";

    public const string CatalogProviderId = "catalog_provider_id";
    public const string Endpoint = "endpoint";
    public const string TimeoutMs = "timeout_ms";
    public const string FirstByteTimeoutMs = "first_byte_timeout_ms";
    public const string StallTimeoutMs = "stall_timeout_ms";
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

    /// <summary>The template keeps deployments as a list of <c>model=deployment</c> lines, which any form can edit.</summary>
    public static IReadOnlyDictionary<string, string>? ToDeployments(JsonObject fields)
    {
        if (List(fields, Deployments) is not { Count: > 0 } lines) return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=');
            if (eq > 0 && eq < line.Length - 1) map.TryAdd(line[..eq].Trim(), line[(eq + 1)..].Trim());
        }
        return map;
    }

    public static JsonArray FromDeployments(IReadOnlyDictionary<string, string> map) =>
        new([.. map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (JsonNode?)JsonValue.Create($"{p.Key}={p.Value}"))]);

    /// <summary>A fallbacks field (the instance's, a chat's or a task's): objects of provider_ref and model_id; incomplete ones are skipped.</summary>
    public static IReadOnlyList<ModelFallback>? ToFallbacks(JsonObject fields) =>
        fields[Fallbacks] is JsonArray list
            ? [.. list.OfType<JsonObject>().Select(o => (Text(o, "provider_ref"), Text(o, "model_id")))
                .Where(p => p.Item1 is { Length: > 0 } && p.Item2 is { Length: > 0 })
                .Select(p => new ModelFallback { ProviderRef = p.Item1!, ModelId = p.Item2! })]
            : null;

    public static JsonArray FromFallbacks(IReadOnlyList<ModelFallback> fallbacks) =>
        new([.. fallbacks.Select(f => (JsonNode?)new JsonObject { ["provider_ref"] = f.ProviderRef, ["model_id"] = f.ModelId })]);

    /// <summary>The template's select values for <see cref="Credential"/>.</summary>
    public static CredentialKind ToCredential(JsonObject fields) => Text(fields, Credential) == "auth_token" ? CredentialKind.AuthToken : CredentialKind.ApiKey;

    public static string? FromCredential(CredentialKind? kind) => kind switch
    {
        CredentialKind.AuthToken => "auth_token",
        CredentialKind.ApiKey => "api_key",
        _ => null,
    };

    /// <summary>The names a template in the design notes' words uses for the same fields.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Aliases = new Dictionary<string, string?>
    {
        [CatalogProviderId] = "provider_type",
        [DefaultModel] = "model",
    };

    /// <summary>The catalog provider the record names, under either name.</summary>
    public static string? ProviderId(JsonObject fields) => AliasText(fields, CatalogProviderId);

    /// <summary>The default model the record names, under either name.</summary>
    public static string? Model(JsonObject fields) => AliasText(fields, DefaultModel);

    private static string? AliasText(JsonObject fields, string name) =>
        Plue.Codex.Records.FieldAliases.Read(fields, name, Aliases) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    // The template's defaults, for records written before a default existed.
    public const int DefaultTimeoutMs = 120_000;
    public const int DefaultFirstByteTimeoutMs = 60_000;
    public const int DefaultStallTimeoutMs = 60_000;
    public const int DefaultMaxAttempts = 3;
    public const int DefaultBaseDelayMs = 500;

    public static string? Text(JsonObject fields, string name) =>
        fields[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static double? Number(JsonObject fields, string name) =>
        fields[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    public static int? Int(JsonObject fields, string name) => Number(fields, name) is { } d ? (int)d : null;

    public static bool? Bool(JsonObject fields, string name) =>
        fields[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    public static IReadOnlyList<string>? List(JsonObject fields, string name) =>
        fields[name] is JsonArray a ? [.. a.Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null).OfType<string>()] : null;

    /// <summary>The four filter fields; null members remove the field when written back.</summary>
    public static IEnumerable<KeyValuePair<string, JsonNode?>> FromFilter(ModelFilter filter) =>
    [
        new(MaxInputPrice, filter.MaxInputPrice is { } max ? JsonValue.Create(max) : null),
        new(MinContextWindow, filter.MinContextWindow is { } min ? JsonValue.Create(min) : null),
        new(Allow, filter.Allow is { Count: > 0 } allow ? new JsonArray([.. allow.Select(a => (JsonNode?)JsonValue.Create(a))]) : null),
        new(Deny, filter.Deny is { Count: > 0 } deny ? new JsonArray([.. deny.Select(d => (JsonNode?)JsonValue.Create(d))]) : null),
    ];

    public static ModelFilter ToFilter(JsonObject fields) => new()
    {
        MaxInputPrice = Number(fields, MaxInputPrice),
        MinContextWindow = Int(fields, MinContextWindow),
        Allow = List(fields, Allow),
        Deny = List(fields, Deny),
    };
}
