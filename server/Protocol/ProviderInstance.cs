using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>
/// A provider instance as clients see it: an <c>llm-provider</c> codex read through the catalog, or an API key
/// found in the environment (<see cref="FromEnvironment"/>). Never the key itself: <see cref="HasKey"/> says
/// whether there is one. An environment instance's <see cref="RecordHead.Id"/> and <see cref="RecordHead.Ref"/> are both
/// <c>env:&lt;catalogProviderId&gt;</c> (what a chat's provider_ref names it by), its version 0 (it is read-only).
/// </summary>
public sealed record ProviderInstance : RecordHead
{
    /// <summary>Its <c>title</c>, under the name clients have read it by since before every view had one.</summary>
    public string DisplayName => Title;
    public required string CatalogProviderId { get; init; }
    /// <summary>The catalog's backend kind; null when the catalog no longer has the provider.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? ProviderType { get; init; }
    /// <summary>The endpoint in effect: the override, else the catalog's default (null for the claude CLI).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? Endpoint { get; init; }
    public string? EndpointOverride { get; init; }
    public required int TimeoutMs { get; init; }
    public required int FirstByteTimeoutMs { get; init; }
    /// <summary>The longest gap between bytes of a streamed answer before the endpoint counts as unreachable.</summary>
    public required int StallTimeoutMs { get; init; }
    /// <summary>The longest one streamed answer may take, first byte to end, however the server keeps the line alive.</summary>
    public required int AnswerTimeoutMs { get; init; }
    public required RetryPolicy Retry { get; init; }
    public required bool Enabled { get; init; }
    public required ModelFilter ModelFilter { get; init; }
    public string? DefaultModel { get; init; }
    /// <summary>
    /// Whether its models run on the user's machine (Ollama always; any instance the user marks, such as LM Studio or
    /// llama.cpp behind an OpenAI-compatible endpoint): their calls cost $0, with cost source <c>local</c>.
    /// </summary>
    public required bool Local { get; init; }
    /// <summary>The context window the user set for this instance's models, in tokens; it wins over the catalog's and the provider's.</summary>
    public int? ContextWindow { get; init; }
    /// <summary>Tried in order when a turn on this instance fails before anything was shown (overload, rate limit past retries, unreachable).</summary>
    public IReadOnlyList<ModelFallback>? Fallbacks { get; init; }
    /// <summary>claude-code: the claude executable; acp-agent: the agent's command.</summary>
    public string? CliPath { get; init; }
    /// <summary>acp-agent: the command's arguments.</summary>
    public IReadOnlyList<string>? CliArgs { get; init; }
    /// <summary>acp-agent: <c>NAME=value</c> lines the agent gets beside the basics; a value may be a vault:// reference.</summary>
    public IReadOnlyList<string>? CliEnv { get; init; }
    /// <summary>acp-agent: the hosts the agent may reach from its sandbox (it has no endpoint to allow).</summary>
    public IReadOnlyList<string>? CliAllowedHosts { get; init; }
    public string? ApiKeyRef { get; init; }
    /// <summary>What the secret is: an API key, or an auth token sent as <c>Authorization: Bearer</c>.</summary>
    public required CredentialKind Credential { get; init; }
    /// <summary>Vertex AI: the Google Cloud project id.</summary>
    public string? Project { get; init; }
    /// <summary>Vertex AI: the location (null: global).</summary>
    public string? Region { get; init; }
    /// <summary>Bedrock: the AWS profile used when the instance holds no credential.</summary>
    public string? Profile { get; init; }
    /// <summary>Azure OpenAI: the <c>api-version</c> set on the instance, if any.</summary>
    public string? ApiVersion { get; init; }
    /// <summary>Azure OpenAI: model id → deployment name.</summary>
    public IReadOnlyDictionary<string, string>? Deployments { get; init; }
    /// <summary>Whether a key is there now: in the vault under <see cref="ApiKeyRef"/>, or in <see cref="EnvVar"/>.</summary>
    public required bool HasKey { get; init; }
    public required bool FromEnvironment { get; init; }
    /// <summary>The environment variable an environment instance reads at call time.</summary>
    public string? EnvVar { get; init; }
    /// <summary>The latest <c>instances/test</c> of the instance, kept across restarts; absent when it was never tested.</summary>
    public InstanceTestResult? LastTest { get; init; }
}
