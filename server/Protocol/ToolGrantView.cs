namespace Plue.Protocol;

/// <summary>A <c>tool-grant</c> record as its feature shows it.</summary>
public sealed record ToolGrantView : RecordView
{
    public required ToolGrantInfo Grant { get; init; }
}
