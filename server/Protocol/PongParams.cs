namespace Plue.Protocol;

/// <summary><c>plue/pong</c> notification params.</summary>
public sealed record PongParams
{
    public required int Seq { get; init; }
}
