using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>A task's status; <c>waiting-approval</c> is live only (the record keeps <c>running</c>).</summary>
public enum AgentTaskStatus
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("waiting-approval")] WaitingApproval,
    [JsonStringEnumMemberName("paused")] Paused,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}
