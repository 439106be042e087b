using System.Text.Json.Serialization;

namespace Plue.Protocol;

public enum ToolState
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("error")] Error,
    /// <summary>The user (or a rule on their behalf) refused to let it run.</summary>
    [JsonStringEnumMemberName("denied")] Denied,
}
