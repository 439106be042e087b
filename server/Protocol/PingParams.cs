namespace Plue.Protocol;

/// <summary>
/// <c>plue/ping</c>: a liveness and latency probe. <c>delayMs</c> holds the answer back
/// (clients use it to check cancellation); <c>notifications</c> sends that many
/// <c>plue/pong</c> notifications first (benchmarks use it to measure write throughput).
/// </summary>
public sealed record PingParams
{
    public int? DelayMs { get; init; }
    public int? Notifications { get; init; }
}
