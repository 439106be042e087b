namespace Plue.Protocol;

/// <summary>
/// The settings of a provider instance that <see cref="CreateInstanceParams"/> and <see cref="UpdateInstanceParams"/> both
/// carry, each optional.
/// </summary>
public abstract record InstanceSettings
{
    /// <summary>Overrides the catalog's default endpoint.</summary>
    public string? Endpoint { get; init; }
    public int? TimeoutMs { get; init; }
    public int? FirstByteTimeoutMs { get; init; }
    /// <summary>The longest gap between bytes of a streamed answer before the endpoint counts as unreachable (default 60 000).</summary>
    public int? StallTimeoutMs { get; init; }
    public RetryPolicy? Retry { get; init; }
    /// <summary>A secret: stored as <c>vault://&lt;catalogProviderId&gt;/&lt;slug&gt;</c>, never kept anywhere else.</summary>
    public string? ApiKey { get; init; }
    /// <summary>A key already in the vault, by its reference; give it or <c>apiKey</c>, not both.</summary>
    public string? ApiKeyRef { get; init; }
    /// <summary>Whether the secret is an API key (the default) or an auth token sent as <c>Authorization: Bearer</c>.</summary>
    public CredentialKind? Credential { get; init; }
    /// <summary>Vertex AI: the Google Cloud project id; empty clears it.</summary>
    public string? Project { get; init; }
    /// <summary>Vertex AI: the location, a region such as us-east5 or "global" (the default); empty clears it.</summary>
    public string? Region { get; init; }
    /// <summary>Bedrock: the AWS profile whose credentials are used when the instance holds none; empty clears it.</summary>
    public string? Profile { get; init; }
    /// <summary>Azure OpenAI: the <c>api-version</c> to call (default 2024-10-21); empty clears it.</summary>
    public string? ApiVersion { get; init; }
    /// <summary>Azure OpenAI: model id → deployment name, for deployments not named after their model; empty clears it.</summary>
    public IReadOnlyDictionary<string, string>? Deployments { get; init; }
    public ModelFilter? ModelFilter { get; init; }
    public string? DefaultModel { get; init; }
    /// <summary>Marks the instance's models as running on the user's machine, so they cost $0 (Ollama is local whatever this says).</summary>
    public bool? Local { get; init; }
    /// <summary>The context window of the instance's models, in tokens, over the catalog's and the provider's: at least 1, as the template says (clear it with <c>codex/update</c> and <c>context_window: null</c>).</summary>
    public int? ContextWindow { get; init; }
    /// <summary>Instance and model pairs tried in order when a turn fails before anything was shown; empty clears them.</summary>
    public IReadOnlyList<ModelFallback>? Fallbacks { get; init; }
    /// <summary>claude-code: the claude executable; acp-agent: the agent's command.</summary>
    public string? CliPath { get; init; }
    /// <summary>acp-agent: the command's arguments; empty clears them.</summary>
    public IReadOnlyList<string>? CliArgs { get; init; }
    /// <summary>acp-agent: <c>NAME=value</c> lines the agent gets beside the basics (a key as <c>NAME=vault://provider/key</c>); empty clears them.</summary>
    public IReadOnlyList<string>? CliEnv { get; init; }
    public bool? Enabled { get; init; }
}
