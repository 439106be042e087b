using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>What a search result is: a chat or an agent task.</summary>
public enum SearchHitKind
{
    [JsonStringEnumMemberName("chat")] Chat,
    [JsonStringEnumMemberName("task")] Task,
}
