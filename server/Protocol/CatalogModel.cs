using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>One model of a catalog provider: the file format and the <c>catalog/models</c> wire shape.</summary>
public sealed record CatalogModel
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>Tokens of context (input plus output); null when unknown. An int (the largest windows are a few million
    /// tokens) because the sidecar already uses int? on the wire, so parsing catalogs JITs no extra generic code.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? ContextWindow { get; init; }

    /// <summary>The output budget to ask for by default (Catwalk's <c>default_max_tokens</c>); null when unknown.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? MaxOutput { get; init; }

    /// <summary>Absent in a file reads as unknown prices.</summary>
    public ModelPrices? Prices { get; init; }

    public bool? CanReason { get; init; }

    /// <summary>Reasoning efforts the model accepts (low, medium, high, ...); empty when it takes none.</summary>
    public IReadOnlyList<string>? ReasoningLevels { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? DefaultReasoningEffort { get; init; }

    public bool? SupportsAttachments { get; init; }
}
