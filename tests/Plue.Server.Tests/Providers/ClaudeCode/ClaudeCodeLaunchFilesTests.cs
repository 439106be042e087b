using Plue.Providers.ClaudeCode;

namespace Plue.Tests.Providers.ClaudeCode;

/// <summary>
/// The private temp folders of the CLI's launch files that a killed sidecar left behind (they may name secrets): found
/// in the real temp folder at start and removed, unless a live sidecar still holds their lock or one is being made now.
/// </summary>
public sealed class ClaudeCodeLaunchFilesTests
{
    private static string Folder() => Directory.CreateTempSubdirectory("plue-claude-").FullName;

    [Fact]
    public void RemoveLeftovers_UnlockedOrOldFolders_AreRemoved_HeldOrNewOnesKept()
    {
        var abandoned = Folder();
        File.WriteAllText(Path.Combine(abandoned, "owner.lock"), "");
        File.WriteAllText(Path.Combine(abandoned, "mcp.json"), "{}");
        var old = Folder();
        Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddMinutes(-10));
        var beingMade = Folder();
        var live = Folder();
        var liveLock = new FileStream(Path.Combine(live, "owner.lock"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        try
        {
            ClaudeCodeLaunchFiles.RemoveLeftovers();

            Assert.False(Directory.Exists(abandoned));
            Assert.False(Directory.Exists(old));
            Assert.True(Directory.Exists(beingMade));
            Assert.True(File.Exists(Path.Combine(live, "owner.lock")));
        }
        finally
        {
            liveLock.Dispose();
            foreach (var folder in new[] { beingMade, live }) Directory.Delete(folder, recursive: true);
        }
    }
}
