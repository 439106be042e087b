using System.Text.Json.Serialization;

namespace Plue.Protocol;

public enum MessageRole
{
    [JsonStringEnumMemberName("user")] User,
    [JsonStringEnumMemberName("assistant")] Assistant,
    /// <summary>Text the model reads as system content where it comes in the conversation (<c>session/addSystem</c>).</summary>
    [JsonStringEnumMemberName("system")] System,
}
