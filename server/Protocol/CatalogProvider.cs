using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>
/// A provider of the catalog: one <c>catalog/&lt;id&gt;.json</c> file (shipped or in PLUE_HOME),
/// and the params of <c>catalog/create</c> and <c>catalog/update</c>. Optional members are nullable
/// because source-generated deserialization resets absent members to their default.
/// </summary>
public sealed record CatalogProvider
{
    /// <summary>A slug: lowercase letters, digits, '.', '_' and '-'; also the user file's name.</summary>
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>The backend kind; see Catalog.ProviderTypes.</summary>
    public required string Type { get; init; }

    /// <summary>False for kinds the sidecar has no backend for yet (kept so the data is not lost). Absent means true.</summary>
    public bool? Supported { get; init; }

    /// <summary>Why a provider is unsupported or needs care; shown to people.</summary>
    public string? Note { get; init; }

    /// <summary>Absolute http(s) base URL; null only where there is no public default (Azure, the claude CLI).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? DefaultEndpoint { get; init; }

    /// <summary>The environment variable conventionally holding the API key (read, never copied).</summary>
    public string? ApiKeyEnv { get; init; }

    public string? DefaultLargeModelId { get; init; }
    public string? DefaultSmallModelId { get; init; }

    /// <summary>Where the data comes from, e.g. <c>catwalk:anthropic.json@64dad50e</c>, <c>plue</c> or <c>user</c>.</summary>
    public string? Source { get; init; }

    public required IReadOnlyList<CatalogModel> Models { get; init; }
}
