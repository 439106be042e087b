namespace Plue.Protocol;

/// <summary><c>lm/instanceModels</c> result.</summary>
public sealed record LmInstanceModelsResult
{
    public required IReadOnlyList<LmInstanceModel> Models { get; init; }
}
