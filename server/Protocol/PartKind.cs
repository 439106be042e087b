using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>The kind of a <see cref="MessagePart"/>: its <c>kind</c> on the wire.</summary>
public enum PartKind
{
    [JsonStringEnumMemberName("text")] Text,
    [JsonStringEnumMemberName("reasoning")] Reasoning,
    [JsonStringEnumMemberName("file")] File,
    [JsonStringEnumMemberName("tool_use")] ToolUse,
    [JsonStringEnumMemberName("tool_result")] ToolResult,
    [JsonStringEnumMemberName("step")] Step,
    [JsonStringEnumMemberName("instructions")] Instructions,
    [JsonStringEnumMemberName("summary")] Summary,
    [JsonStringEnumMemberName("plan")] Plan,
    [JsonStringEnumMemberName("hook")] Hook,
}
