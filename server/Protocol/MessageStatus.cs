using System.Text.Json.Serialization;

namespace Plue.Protocol;

public enum MessageStatus
{
    [JsonStringEnumMemberName("complete")] Complete,
    [JsonStringEnumMemberName("streaming")] Streaming,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>Its process died while it streamed (kill -9, a crash); the text so far is kept, but for what arrived from the provider in the last 100 ms.</summary>
    [JsonStringEnumMemberName("interrupted")] Interrupted,
    [JsonStringEnumMemberName("error")] Error,
    /// <summary>Hidden by a regenerate or an edit; only a fork's copy or the store sees it.</summary>
    [JsonStringEnumMemberName("superseded")] Superseded,
}
