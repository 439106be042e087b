using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>Where a customization file was found: a workspace folder, or the user's home.</summary>
public enum CustomizationScope
{
    [JsonStringEnumMemberName("workspace")] Workspace,
    [JsonStringEnumMemberName("user")] User,
}
