namespace Plue.Sessions;

/// <summary>
/// A chat's status as its record stores it: idle, or archived. Active is live only (a turn running in this process),
/// which <see cref="ChatKind"/>'s view adds; <see cref="ToWire"/> is the one mapping to the wire's
/// <see cref="Protocol.SessionStatus"/>, whose names these are.
/// </summary>
public static class ChatStatuses
{
    public const string Idle = "idle";
    public const string Archived = "archived";

    public static bool IsArchived(string? status) => status == Archived;

    /// <summary>The status as the wire types it: a stored one, or active while a turn runs.</summary>
    public static Protocol.SessionStatus ToWire(string? status, bool turnRunning) =>
        IsArchived(status) ? Protocol.SessionStatus.Archived : turnRunning ? Protocol.SessionStatus.Active : Protocol.SessionStatus.Idle;
}
