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
}
