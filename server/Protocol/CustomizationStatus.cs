using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>Whether a found customization is taken (<c>used</c>) or left out (<c>ignored</c>, with a reason).</summary>
public enum CustomizationStatus
{
    [JsonStringEnumMemberName("used")] Used,
    [JsonStringEnumMemberName("ignored")] Ignored,
}
