namespace Plue.Protocol;

/// <summary>A chat exported as JSON: the session and every message with its parts.</summary>
public sealed record SessionExportFile
{
    public required Session Session { get; init; }
    public required IReadOnlyList<SessionMessage> Messages { get; init; }
}
