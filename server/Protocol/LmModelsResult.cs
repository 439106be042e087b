namespace Plue.Protocol;

/// <summary><c>lm/models</c> result.</summary>
public sealed record LmModelsResult
{
    public required IReadOnlyList<LmModel> Models { get; init; }
}
