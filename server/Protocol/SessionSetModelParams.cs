namespace Plue.Protocol;

public sealed record SessionSetModelParams
{
    public required string Id { get; init; }
    public required string InstanceId { get; init; }
    public required string ModelId { get; init; }
    /// <summary>True to use a model id the instance does not list (a custom or newly released model); by default such an id is refused with the list of what it offers.</summary>
    public bool? AllowUnlisted { get; init; }
}
