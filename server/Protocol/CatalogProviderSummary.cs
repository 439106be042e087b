using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>One entry of <c>catalog/list</c>; also the result of <c>catalog/create</c> and <c>catalog/update</c>.</summary>
public sealed record CatalogProviderSummary
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>The backend kind: anthropic, openai, openai-compatible, openrouter, ollama, claude-code, or a kept-but-unsupported one.</summary>
    public required string Type { get; init; }
    /// <summary>Null where there is no public default (Azure, the claude CLI).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? DefaultEndpoint { get; init; }
    public required int ModelCount { get; init; }
    /// <summary><c>shipped</c> or <c>user</c> (a custom provider, or a user override of a shipped one).</summary>
    public required string Source { get; init; }
    /// <summary>False when the sidecar has no backend for it yet; clients should not offer it for chat.</summary>
    public required bool Supported { get; init; }
}
