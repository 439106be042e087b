using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>Token counts. Input is every prompt token, cache reads and writes included (they are also counted apart); reasoning is inside output.</summary>
public sealed record TokenUsage
{
    public long Input { get; init; }
    public long Output { get; init; }
    public long CacheRead { get; init; }
    public long CacheWrite { get; init; }
    public long Reasoning { get; init; }
    /// <summary>
    /// True when some counts are estimated from the text sent and streamed (about 4 characters a token), not reported
    /// by the provider: a reply stopped or cut before the provider told its usage.
    /// Absent when false.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Estimated { get; init; }

    public static TokenUsage Zero { get; } = new();

    public TokenUsage Add(TokenUsage other) => new()
    {
        Input = Input + other.Input,
        Output = Output + other.Output,
        CacheRead = CacheRead + other.CacheRead,
        CacheWrite = CacheWrite + other.CacheWrite,
        Reasoning = Reasoning + other.Reasoning,
        Estimated = Estimated || other.Estimated,
    };
}
