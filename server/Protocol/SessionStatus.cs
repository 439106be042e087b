using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>idle, active (a turn is streaming) or archived.</summary>
public enum SessionStatus
{
    [JsonStringEnumMemberName("idle")] Idle,
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("archived")] Archived,
}
