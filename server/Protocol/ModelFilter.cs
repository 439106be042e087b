namespace Plue.Protocol;

/// <summary>Narrows the models an instance offers; it never adds one (see Instances.ModelFilterRules). Every member optional.</summary>
public sealed record ModelFilter
{
    /// <summary>USD per 1M input tokens; a model of unknown price passes (unknown is not "too expensive").</summary>
    public double? MaxInputPrice { get; init; }
    public int? MinContextWindow { get; init; }
    /// <summary>When not empty, only these model ids.</summary>
    public IReadOnlyList<string>? Allow { get; init; }
    /// <summary>Never these model ids.</summary>
    public IReadOnlyList<string>? Deny { get; init; }
}
