namespace Plue.Catalog;

/// <summary>The backend kinds a catalog provider can name in <c>type</c>.</summary>
public static class ProviderTypes
{
    public const string Anthropic = "anthropic";
    public const string OpenAI = "openai";
    public const string OpenAICompatible = "openai-compatible";
    public const string OpenRouter = "openrouter";
    public const string Ollama = "ollama";
    public const string ClaudeCode = "claude-code";
    public const string Google = "google";
    public const string Azure = "azure";
    public const string GoogleVertex = "google-vertex";
    public const string Bedrock = "bedrock";
    /// <summary>VS Code's Language Model API (GitHub Copilot and other extensions' models), reached through the client.</summary>
    public const string VsCodeLm = "vscode-lm";
    /// <summary>Any agent that speaks the Agent Client Protocol, run from the instance's command (docs/ACP.md).</summary>
    public const string AcpAgent = "acp-agent";

    /// <summary>Kinds with a backend in the sidecar (or one planned for part 2 of "Providers").</summary>
    public static IReadOnlySet<string> Supported { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Anthropic, OpenAI, OpenAICompatible, OpenRouter, Ollama, ClaudeCode, Google, Azure, GoogleVertex, Bedrock, VsCodeLm, AcpAgent };

    /// <summary>Kinds kept from Catwalk data but not served yet: their providers are marked <c>supported: false</c>.</summary>
    public static IReadOnlySet<string> Unsupported { get; } =
        new HashSet<string>(StringComparer.Ordinal) { "vercel" };

    /// <summary>The kinds whose model list is discovered at run time (a local server's, the editor's), so an empty list is valid.</summary>
    public static bool DiscoversModels(string type) => type is Ollama or VsCodeLm;

    /// <summary>The kinds whose server lists its models (<c>/v1/models</c>), so a provider of the kind can leave its models to the server.</summary>
    public static bool ListsOwnModels(string type) => type is OpenAICompatible or Anthropic;

    /// <summary>The kinds that talk HTTP and so need an endpoint (the claude CLI and ACP agents run locally, VS Code's models are the client's).</summary>
    public static bool NeedsEndpoint(string type) => type is not (ClaudeCode or VsCodeLm or AcpAgent);

    /// <summary>The kinds whose one turn is an agent's own loop (it runs its own tools): no fallback, no sidecar tool loop.</summary>
    public static bool RunsOwnTools(string type) => type is ClaudeCode or AcpAgent;

    /// <summary>The kinds whose endpoint is the user's own resource (Azure: https://&lt;resource&gt;.openai.azure.com), so the catalog has no default.</summary>
    public static bool EndpointPerAccount(string type) => type == Azure;
}
