namespace Plue.Protocol;

/// <summary>An <c>llm-provider</c> record as <c>instances/get</c> reads it.</summary>
public sealed record ProviderView : RecordView
{
    public required ProviderInstance Instance { get; init; }
}
