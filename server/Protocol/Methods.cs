namespace Plue.Protocol;

/// <summary>
/// Every method of the sidecar's RPC surface, <c>area/verb</c>, in one place.
/// Mirrored by extension/src/protocol.ts; the names are fixed (see PROTOCOL.md).
/// </summary>
public static class Methods
{
    /// <summary>Version, pid, home and uptime of the running sidecar.</summary>
    public const string Status = "plue/status";

    /// <summary>Liveness and latency probe; see <see cref="PingParams"/>.</summary>
    public const string Ping = "plue/ping";

    /// <summary>Notification sent by <see cref="Ping"/> when asked for notifications.</summary>
    public const string Pong = "plue/pong";
}
