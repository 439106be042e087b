namespace Plue.Protocol;

/// <summary><c>session/partDelta</c>: append <see cref="Delta"/> to that part (a new part id starts a new part).</summary>
public sealed record PartDeltaParams
{
    public required string SessionId { get; init; }
    public required string MessageId { get; init; }
    public required string PartId { get; init; }
    public required PartKind Kind { get; init; }
    public required string Delta { get; init; }
}
