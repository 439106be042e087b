namespace Plue.Transcripts;

/// <summary>
/// What one model call may still spend before a spend cap is reached: the stream is stopped once its counted cost gets
/// there, what arrived kept. Tokens of a model with no known price count at <paramref name="UnpricedUsdPerMillion"/>,
/// as the cap counts them.
/// </summary>
public sealed record SpendLimit(decimal RemainingUsd, decimal UnpricedUsdPerMillion)
{
    /// <summary>Where a call stopped at its limit says why (its step's finish reason).</summary>
    public const string FinishReason = "spend-cap";

    /// <summary>
    /// Told what this call has counted so far, answers the room left now: calls that stream beside it under the same
    /// caps (a tree's parallel sub-tasks) take from it as they go. Null: <see cref="RemainingUsd"/> less the call's own.
    /// </summary>
    public Func<decimal, decimal>? Room { get; init; }

    /// <summary>The room left once the call has counted <paramref name="counted"/>; at zero or below the stream stops.</summary>
    public decimal Left(decimal counted) => Room?.Invoke(counted) ?? RemainingUsd - counted;
}
