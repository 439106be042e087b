namespace Plue.Tests.Support;

/// <summary>A fact about one system's own parts (its keychain): run on that system only, skipped elsewhere saying so.</summary>
public sealed class OsFactAttribute : FactAttribute
{
    /// <param name="platform">As <see cref="OperatingSystem.IsOSPlatform"/> names it: "macOS", "Windows", "Linux".</param>
    public OsFactAttribute(string platform)
    {
        if (!OperatingSystem.IsOSPlatform(platform))
            Skip = $"Runs on {platform} only (the release workflow runs it there)";
    }
}
