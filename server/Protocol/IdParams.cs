namespace Plue.Protocol;

/// <summary>Params that name one thing by its id: a template, a codex record, a task, a user catalog provider.</summary>
public sealed record IdParams
{
    public required string Id { get; init; }
}
