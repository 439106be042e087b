using Plue.Protocol;

namespace Plue.Transcripts;

/// <summary>
/// What model calls cost, added up honestly: the usage, the sum of the costs that are known, and every source that
/// went into it. A call whose cost is unknown leaves the sum a lower bound ("at least"), never a silent 0. Every total
/// a client sees (a chat's, a task's, a task tree's) is made here, so the rules live in one place.
/// </summary>
public sealed record CostTotal
{
    public static CostTotal None { get; } = new();

    public TokenUsage Usage { get; init; } = TokenUsage.Zero;
    /// <summary>The sum of the known costs.</summary>
    public decimal KnownUsd { get; init; }
    private int Mask { get; init; }

    /// <summary>The sources in the total, each once, in the order of <see cref="CostSource"/>.</summary>
    public IReadOnlyList<CostSource> Sources => [.. Enum.GetValues<CostSource>().Where(Has)];

    /// <summary>Whether some call's cost is unknown, so <see cref="Usd"/> is at least what it says.</summary>
    public bool IsLowerBound => Has(CostSource.Unknown);

    /// <summary>The known sum; null when there were calls and none had a known cost (nothing to say "at least" of).</summary>
    public decimal? Usd => Mask == (1 << (int)CostSource.Unknown) ? null : KnownUsd;

    /// <summary>This total and one more call; a null cost counts as unknown whatever source it names.</summary>
    public CostTotal Add(TokenUsage usage, decimal? costUsd, CostSource source) => new()
    {
        Usage = Usage.Add(usage),
        KnownUsd = KnownUsd + (costUsd ?? 0m),
        Mask = Mask | Bit(costUsd is null ? CostSource.Unknown : source),
    };

    /// <summary>A total already summed (the store's running totals).</summary>
    public static CostTotal Of(TokenUsage usage, decimal knownUsd, IEnumerable<CostSource> sources) =>
        new() { Usage = usage, KnownUsd = knownUsd, Mask = sources.Aggregate(0, (mask, source) => mask | Bit(source)) };

    public CostTotal Add(CostTotal other) => new() { Usage = Usage.Add(other.Usage), KnownUsd = KnownUsd + other.KnownUsd, Mask = Mask | other.Mask };

    private bool Has(CostSource source) => (Mask & Bit(source)) != 0;

    private static int Bit(CostSource source) => 1 << (int)source;
}
