using Plue.Customizations;
using Plue.Protocol;

namespace Plue.Tests.Customizations;

/// <summary>
/// A folder past its limit: the first files by name are used, every other one is listed as ignored with the limit named
/// and where to change it (one row a file: a row costs the file's name alone, never a read).
/// </summary>
public sealed class CustomizationFolderLimitTests : IDisposable
{
    private readonly DirectoryInfo _workspace = Directory.CreateTempSubdirectory("plue-folder-limit-");

    public void Dispose() => _workspace.Delete(recursive: true);

    [Fact]
    public void Scan_AFolderOf10000Commands_Uses200AndListsTheRestIgnoredWithTheLimit()
    {
        var commands = Directory.CreateDirectory(Path.Combine(_workspace.FullName, ".claude", "commands"));
        for (var i = 0; i < 10_000; i++) File.WriteAllText(Path.Combine(commands.FullName, $"c{i:D5}.md"), $"Command {i}");

        var items = CustomizationScanner.Scan([_workspace.FullName], trusted: true, home: null).Where(i => i.Kind == CustomizationKind.Command).ToList();

        Assert.Equal(10_000, items.Count);
        var used = items.Where(i => i.Status == CustomizationStatus.Used).Select(i => i.Name).ToList();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"c{i:D5}"), used);
        var ignored = items.Where(i => i.Status == CustomizationStatus.Ignored).ToList();
        Assert.Equal(9_800, ignored.Count);
        Assert.Equal("c00200", ignored[0].Name);
        Assert.All(ignored, i => Assert.Equal(CustomizationScanner.PastFolderLimit(200), i.Reason));
        Assert.Contains("first 200 files", ignored[0].Reason);
        Assert.Contains(CustomizationScanner.FolderLimitVariable, ignored[0].Reason);
    }
}
