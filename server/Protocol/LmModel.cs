namespace Plue.Protocol;

/// <summary>A model VS Code's Language Model API offers (<c>lm/models</c>): the id <c>lm/chat</c> names it by.</summary>
public sealed record LmModel
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Who serves it, e.g. <c>copilot</c>.</summary>
    public required string Vendor { get; init; }
    public string? Family { get; init; }
    public int? MaxInputTokens { get; init; }
}
