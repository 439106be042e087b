namespace Plue.Protocol;

/// <summary>The input of a <c>spend_cap</c> question.</summary>
public sealed record SpendCapInput
{
    public required decimal SpentUsd { get; init; }
    public required decimal CapUsd { get; init; }
}
