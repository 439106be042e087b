namespace Plue.Protocol;

/// <summary>A model of a Plue instance, as other extensions see it through VS Code's model picker (<c>lm/instanceModels</c>).</summary>
public sealed record LmInstanceModel
{
    public required string InstanceId { get; init; }
    public required string InstanceName { get; init; }
    public required string ModelId { get; init; }
    public required string ModelName { get; init; }
    public int? ContextWindow { get; init; }
    public int? MaxOutput { get; init; }
    public bool SupportsImages { get; init; }
}
