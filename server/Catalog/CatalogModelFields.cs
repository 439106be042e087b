namespace Plue.Catalog;

/// <summary>One item of a <c>catalog</c> record's <c>models</c>; numbers as JSON gives them (a window may exceed an int).</summary>
public sealed record CatalogModelFields
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public double? ContextWindow { get; init; }
    public double? MaxOutput { get; init; }
    public double? InputPrice { get; init; }
    public double? OutputPrice { get; init; }
    public double? CacheReadPrice { get; init; }
    public double? CacheWritePrice { get; init; }
    public bool? CanReason { get; init; }
    public IReadOnlyList<string>? ReasoningLevels { get; init; }
    public string? DefaultReasoningEffort { get; init; }
    public bool? SupportsAttachments { get; init; }
}
