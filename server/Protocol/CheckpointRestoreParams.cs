namespace Plue.Protocol;

public sealed record CheckpointRestoreParams
{
    public required string SessionId { get; init; }
    /// <summary>Restore to when this user message was sent (one of <see cref="MessageId"/> or <see cref="CheckpointId"/>).</summary>
    public string? MessageId { get; init; }
    /// <summary>Restore to before this checkpoint (a restore's checkpoint: undoes that restore).</summary>
    public string? CheckpointId { get; init; }
    /// <summary>Put back the files changed since (default true).</summary>
    public bool? Files { get; init; }
    /// <summary>Drop the message and every later one (default false); needs <see cref="MessageId"/>.</summary>
    public bool? Conversation { get; init; }
    /// <summary>Overwrite files changed since by someone else (after the user said so).</summary>
    public bool? Force { get; init; }
}
