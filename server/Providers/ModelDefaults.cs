using Microsoft.Extensions.AI;
using Plue.Protocol;

namespace Plue.Providers;

/// <summary>
/// What a provider instance's record says every call on it uses unless the chat or task says otherwise: temperature,
/// the reply's length and reasoning effort (the design notes' <c>llm-provider</c> has the first two).
/// </summary>
public sealed record ModelDefaults
{
    public static readonly ModelDefaults None = new();

    public double? Temperature { get; init; }
    public int? MaxOutputTokens { get; init; }
    public string? ReasoningEffort { get; init; }

    /// <summary>Sets what <paramref name="options"/> does not set yet; the reply's length within the model's output limit.</summary>
    public void ApplyTo(ChatOptions options, string providerType, CatalogModel? model)
    {
        if (options.Temperature is null && Temperature is { } temperature) options.Temperature = (float)temperature;
        if (options.MaxOutputTokens is null && MaxOutputTokens is { } max) options.MaxOutputTokens = model?.MaxOutput is { } limit ? Math.Min(max, limit) : max;
        if (ReasoningEffort is { } effort && options.AdditionalProperties is null) ReasoningSettings.Apply(options, providerType, effort, model);
    }
}
