namespace Plue.Protocol;

public sealed record SessionSteerResult
{
    /// <summary>Whether a running turn was stopped for the message (false: none was running, it was sent at once).</summary>
    public required bool Interrupted { get; init; }
}
