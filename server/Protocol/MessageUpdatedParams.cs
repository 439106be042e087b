namespace Plue.Protocol;

public sealed record MessageUpdatedParams
{
    public required SessionMessage Message { get; init; }
}
