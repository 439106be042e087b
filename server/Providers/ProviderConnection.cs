using Plue.Protocol;

namespace Plue.Providers;

/// <summary>
/// Everything a backend needs to talk to one provider instance, made per call by the instances' resolver (Instances/InstanceResolver).
/// <see cref="ApiKey"/> is a secret held in memory only: never log, serialize or put this record in an exception
/// (its ToString hides the key).
/// </summary>
public sealed record ProviderConnection
{
    public required string InstanceId { get; init; }
    /// <summary>The instance's display name, which errors show (the id when unknown).</summary>
    public string? InstanceName { get; init; }
    /// <summary>The backend kind; see <see cref="Plue.Catalog.ProviderTypes"/>.</summary>
    public required string ProviderType { get; init; }
    public required string CatalogProviderId { get; init; }
    /// <summary>The provider's name in the catalog ("OpenAI"), which errors show (the catalog id when unknown).</summary>
    public string? ProviderName { get; init; }
    /// <summary>The effective base URL; null only for kinds without one (the claude CLI).</summary>
    public string? Endpoint { get; init; }
    /// <summary>Null when the provider needs no key (Ollama, the claude CLI).</summary>
    public string? ApiKey { get; init; }
    public int TimeoutMs { get; init; } = 120_000;
    public int FirstByteTimeoutMs { get; init; } = 60_000;
    /// <summary>The longest gap between two bytes of a streamed answer once it has begun.</summary>
    public int StallTimeoutMs { get; init; } = 60_000;
    /// <summary>The longest one streamed answer may take from its first byte to its end, kept alive or not.</summary>
    public int AnswerTimeoutMs { get; init; } = 1_800_000;
    public int MaxAttempts { get; init; } = 3;
    public int BaseDelayMs { get; init; } = 500;
    /// <summary>claude-code: the CLI to run (else `claude` on PATH); acp-agent: the agent's command.</summary>
    public string? CliPath { get; init; }
    /// <summary>acp-agent: the command's arguments.</summary>
    public IReadOnlyList<string> CliArgs { get; init; } = [];
    /// <summary>acp-agent: the variables the agent gets beside the basics, vault references resolved (secrets: never log them).</summary>
    public IReadOnlyDictionary<string, string> CliEnvironment { get; init; } = new Dictionary<string, string>();
    /// <summary>acp-agent: the hosts its sandbox lets it reach (an agent has no endpoint of ours to allow).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
    /// <summary>How <see cref="ApiKey"/> is sent where a format allows both (Anthropic: <c>x-api-key</c> or <c>Authorization: Bearer</c>).</summary>
    public CredentialKind Credential { get; init; }
    /// <summary>Vertex AI: the Google Cloud project id.</summary>
    public string? Project { get; init; }
    /// <summary>Bedrock: the profile of the shared AWS credentials file (null: AWS_PROFILE, else "default").</summary>
    public string? Profile { get; init; }
    /// <summary>Vertex AI: the location (a region, or "global" when null). Bedrock: the AWS region.</summary>
    public string? Region { get; init; }
    /// <summary>Azure OpenAI: the <c>api-version</c> query parameter; null for the default.</summary>
    public string? ApiVersion { get; init; }
    /// <summary>Azure OpenAI: the deployment serving each model id; a model not named is served by a deployment of its own name.</summary>
    public IReadOnlyDictionary<string, string> Deployments { get; init; } = new Dictionary<string, string>();
    public ModelFilter ModelFilter { get; init; } = new();
    /// <summary>The models run on the user's machine (Ollama, or an instance marked local): calls cost $0.</summary>
    public bool Local { get; init; }
    /// <summary>The instance's own defaults for every call on it, under a chat's or task's own settings.</summary>
    public ModelDefaults Defaults { get; init; } = ModelDefaults.None;

    /// <summary>The secrets this connection's requests use beside <see cref="ApiKey"/>, registered as they are derived; shared by its copies.</summary>
    public ProviderSecrets Secrets { get; init; } = new();

    /// <summary><paramref name="text"/> without any secret of this connection: its key, its endpoint's password, what was derived from them.</summary>
    public string Scrub(string text) => SecretsNow().Scrub(text);

    /// <summary>A JSON value (a tool call's input) without any secret of this connection (<see cref="ProviderSecrets.Scrub(System.Text.Json.JsonElement)"/>).</summary>
    public System.Text.Json.JsonElement Scrub(System.Text.Json.JsonElement json) => SecretsNow().Scrub(json);

    /// <summary>Every secret of this connection, its key and its endpoint's password among them.</summary>
    public ProviderSecrets SecretsNow()
    {
        Secrets.Add(ApiKey, ProviderSecrets.UrlPassword(Endpoint));
        return Secrets;
    }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"InstanceId = {InstanceId}, ProviderType = {ProviderType}, CatalogProviderId = {CatalogProviderId}, Endpoint = {Endpoint}, ");
        builder.Append($"ApiKey = {(ApiKey is null ? "none" : "***")}, TimeoutMs = {TimeoutMs}, FirstByteTimeoutMs = {FirstByteTimeoutMs}, StallTimeoutMs = {StallTimeoutMs}, AnswerTimeoutMs = {AnswerTimeoutMs}, ");
        builder.Append($"MaxAttempts = {MaxAttempts}, BaseDelayMs = {BaseDelayMs}, CliPath = {CliPath}, ModelFilter = {ModelFilter}");
        return true;
    }
}
