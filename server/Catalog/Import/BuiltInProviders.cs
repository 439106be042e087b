using Plue.Protocol;

namespace Plue.Catalog.Import;

/// <summary>
/// The providers Catwalk has no file for: the <c>claude</c> CLI, a local Ollama, VS Code's language models, and a server
/// of the user's own that speaks OpenAI's or Anthropic's API.
/// </summary>
public static class BuiltInProviders
{
    /// <summary>
    /// The claude CLI (claude-code backend). Its models are the CLI's aliases plus Anthropic's full ids, priced from
    /// the imported Anthropic file so the two cannot disagree. Costs of a CLI run come from its own
    /// <c>total_cost_usd</c>; these prices are for display and estimates.
    /// </summary>
    public static CatalogProvider ClaudeCode(CatalogProvider anthropic)
    {
        // An alias follows the newest model of its family; Catwalk lists Anthropic's models newest first.
        var aliases = new[] { ("sonnet", "Sonnet"), ("opus", "Opus"), ("haiku", "Haiku") }
            .Select(a => (a, target: anthropic.Models.FirstOrDefault(m => m.Id.Contains(a.Item1, StringComparison.Ordinal))))
            .Where(x => x.target is not null)
            .Select(x => x.target! with { Id = x.a.Item1, Name = $"{x.a.Item2} (latest: {x.target!.Name})" });
        return new CatalogProvider
        {
            Id = "claude-code",
            Name = "Claude Code (claude CLI)",
            Type = ProviderTypes.ClaudeCode,
            Supported = true,
            Note = "Runs the locally installed claude CLI with its own login (claude auth status); no endpoint or key needed.",
            DefaultEndpoint = null,
            ApiKeyEnv = null,
            DefaultLargeModelId = "sonnet",
            DefaultSmallModelId = "haiku",
            Source = $"plue (prices from {anthropic.Source})",
            Models = [.. aliases, .. anthropic.Models],
        };
    }

    /// <summary>A local Ollama server; its models are discovered at run time (/api/tags), so the list is empty.</summary>
    public static CatalogProvider Ollama() => ModelsAtRunTime("ollama", "Ollama (local)", ProviderTypes.Ollama,
        "Models are discovered from the running server (/api/tags, /api/show); local models cost nothing per token.", "http://127.0.0.1:11434");

    /// <summary>Every model VS Code's Language Model API offers (Copilot's and other extensions'), discovered from the editor.</summary>
    public static CatalogProvider VsCodeLm() => ModelsAtRunTime("vscode-lm", "VS Code language models", ProviderTypes.VsCodeLm,
        "Every chat model VS Code offers (GitHub Copilot's and other extensions'), through its Language Model API, in the editor only; VS Code asks your consent once. Billed by whoever serves the model: Plue shows no cost.");

    /// <summary>
    /// Any server that speaks OpenAI's Chat Completions (vLLM, LM Studio, llama.cpp's llama-server, LiteLLM, a gateway):
    /// no default endpoint and no models, so each instance names its server and offers exactly what it lists.
    /// </summary>
    public static CatalogProvider OpenAICompatible() => ModelsAtRunTime("openai-compatible", "OpenAI-compatible (custom endpoint)", ProviderTypes.OpenAICompatible,
        "Any server that speaks OpenAI's /v1/chat/completions: vLLM, LM Studio, llama.cpp's llama-server, LiteLLM or a gateway. Give its URL (ending in /v1) and a key if it wants one; its models are the ones it lists at /v1/models, shown without a price.");

    /// <summary>Any server that speaks Anthropic's Messages API (a gateway, a proxy, a vendor's Anthropic endpoint), its models from its <c>/v1/models</c>.</summary>
    public static CatalogProvider AnthropicCompatible() => ModelsAtRunTime("anthropic-compatible", "Anthropic-compatible (custom endpoint)", ProviderTypes.Anthropic,
        "Any server that speaks Anthropic's /v1/messages: a gateway, a proxy or a vendor's Anthropic endpoint. Give its URL (without /v1) and a key or auth token if it wants one; its models are the ones it lists at /v1/models, shown without a price.");

    /// <summary>
    /// Any agent that speaks the Agent Client Protocol (Claude Code's ACP adapter, Gemini CLI, Codex, Goose, ...): each
    /// instance names its command; the agent chooses its own model, so the one model stands for it.
    /// </summary>
    public static CatalogProvider AcpAgent() => new()
    {
        Id = "acp-agent",
        Name = "ACP agent (any Agent Client Protocol agent)",
        Type = ProviderTypes.AcpAgent,
        Supported = true,
        Note = "Runs an agent that speaks the Agent Client Protocol (claude-code-acp, gemini --experimental-acp, cline --acp, ...) from the command the instance names; it uses its own tools and model, asks Plue before acting, and edits only the workspace. Cost is the agent's own: Plue shows none.",
        Source = "plue",
        DefaultLargeModelId = "agent",
        DefaultSmallModelId = "agent",
        Models = [new CatalogModel { Id = "agent", Name = "The agent's own model", ContextWindow = 200000, MaxOutput = 32000 }],
    };

    /// <summary>A provider whose models come from where it runs (the server, the editor), so its list is empty; no key variable.</summary>
    private static CatalogProvider ModelsAtRunTime(string id, string name, string type, string note, string? defaultEndpoint = null) =>
        new() { Id = id, Name = name, Type = type, Supported = true, Note = note, DefaultEndpoint = defaultEndpoint, Source = "plue", Models = [] };
}
