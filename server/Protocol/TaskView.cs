namespace Plue.Protocol;

/// <summary>A <c>task</c> record (or one of a template inheriting from it) as <c>task/get</c> reads it.</summary>
public sealed record TaskView : RecordView
{
    public required AgentTask Task { get; init; }
}
