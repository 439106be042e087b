namespace Plue.Protocol;

/// <summary>One step of a <see cref="PlanPart"/>: its text as the checklist wrote it, and whether it is done.</summary>
public sealed record PlanItem
{
    public required string Text { get; init; }
    public bool Done { get; init; }
}
