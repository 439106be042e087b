using System.Text.Json.Serialization;

namespace Plue.Protocol;

public enum AttachmentKind
{
    [JsonStringEnumMemberName("file")] File,
    [JsonStringEnumMemberName("selection")] Selection,
    [JsonStringEnumMemberName("image")] Image,
    /// <summary><c>@url</c>: <c>path</c> is the page's address; the sidecar fetches it (trusted workspaces only) and attaches its text.</summary>
    [JsonStringEnumMemberName("url")] Url,
    /// <summary><c>@codebase</c>: <c>path</c> is the words; the sidecar searches the workspace and attaches the best chunks.</summary>
    [JsonStringEnumMemberName("codebase")] Codebase,
}
