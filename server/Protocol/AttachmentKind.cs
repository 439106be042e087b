using System.Text.Json.Serialization;

namespace Plue.Protocol;

public enum AttachmentKind
{
    [JsonStringEnumMemberName("file")] File,
    [JsonStringEnumMemberName("selection")] Selection,
    [JsonStringEnumMemberName("image")] Image,
}
