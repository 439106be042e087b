namespace Plue.Providers.Discovery;

/// <summary>A model a provider's live listing reports; context window only where the listing tells it (OpenRouter, Ollama).</summary>
public sealed record DiscoveredModel(string Id, string? Name = null, int? ContextWindow = null);
