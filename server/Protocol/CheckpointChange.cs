using System.Text.Json.Serialization;

namespace Plue.Protocol;

public enum CheckpointChange
{
    [JsonStringEnumMemberName("added")] Added,
    [JsonStringEnumMemberName("modified")] Modified,
    [JsonStringEnumMemberName("deleted")] Deleted,
}
