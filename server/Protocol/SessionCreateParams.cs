namespace Plue.Protocol;

public sealed record SessionCreateParams
{
    public required string InstanceId { get; init; }
    public required string ModelId { get; init; }
    public string? Title { get; init; }
    public string? SystemPromptRef { get; init; }
    public string? SystemPrompt { get; init; }
    /// <summary>True to use a model id the instance does not list (a custom or newly released model); by default such an id is refused with the list of what it offers.</summary>
    public bool? AllowUnlisted { get; init; }
}
