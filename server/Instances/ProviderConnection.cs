namespace Plue.Instances;

/// <summary>
/// Everything a backend needs to call one provider instance, resolved at call time.
/// Holds the API key in memory only: never log it, serialize it, or pass it in argv.
/// </summary>
public sealed record ProviderConnection
{
    public required string InstanceId { get; init; }
    /// <summary>The backend kind from the catalog: anthropic, openai, openai-compatible, openrouter, ollama, claude-code.</summary>
    public required string ProviderType { get; init; }
    public required string CatalogProviderId { get; init; }
    /// <summary>Base URL (the override, else the catalog's default); null for claude-code.</summary>
    public string? Endpoint { get; init; }
    public string? ApiKey { get; init; }
    public int TimeoutMs { get; init; } = 120_000;
    public int FirstByteTimeoutMs { get; init; } = 60_000;
    public int MaxAttempts { get; init; } = 3;
    public int BaseDelayMs { get; init; } = 500;
    /// <summary>claude-code only: the CLI to run (else `claude` on PATH).</summary>
    public string? CliPath { get; init; }
    public ModelFilter? ModelFilter { get; init; }

    public override string ToString() => $"{ProviderType} instance {InstanceId} at {Endpoint ?? "(cli)"}"; // never the key
}

/// <summary>An instance's optional narrowing of the models it offers.</summary>
public sealed record ModelFilter
{
    public decimal? MaxInputPrice { get; init; }
    public int? MinContextWindow { get; init; }
    public IReadOnlyList<string>? Allow { get; init; }
    public IReadOnlyList<string>? Deny { get; init; }
}
