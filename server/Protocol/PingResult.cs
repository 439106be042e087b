namespace Plue.Protocol;

public sealed record PingResult
{
    public required long UptimeMs { get; init; }
}
