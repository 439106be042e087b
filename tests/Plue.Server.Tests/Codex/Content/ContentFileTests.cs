using Plue.Codex.Content;

namespace Plue.Tests.Codex.Content;

/// <summary>A content file is read only when regular and inside its root, and its size is counted while reading.</summary>
public sealed class ContentFileTests
{
    [Fact]
    public void Device_IsRefused_WithoutReadingIt()
    {
        if (!OperatingSystem.IsLinux()) return;
        var error = Assert.Throws<ContentFileException>(() => ContentFile.Read("/dev", "zero", 1024));
        Assert.Contains("not a regular file", error.Message);
    }

    [Fact]
    public void FileWhoseSizeOnDiskIsZero_IsStillCappedWhileReading()
    {
        // /proc files say 0 bytes and hold more: only counting what is read catches them.
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal(0, new FileInfo("/proc/self/maps").Length);
        var error = Assert.Throws<ContentFileException>(() => ContentFile.Read("/proc/self", "maps", 1024));
        Assert.Contains("larger than 1 KiB", error.Message);
    }

    [Fact]
    public void RegularFile_IsReadWithoutItsByteOrderMark()
    {
        var root = Directory.CreateTempSubdirectory("plue-content-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(root, "a.md"), [0xEF, 0xBB, 0xBF, (byte)'h', (byte)'i']);
            Assert.Equal("hi", ContentFile.Read(root, "a.md", 1024));
            Directory.CreateDirectory(Path.Combine(root, "dir.md"));
            Assert.Contains("not a regular file", Assert.Throws<ContentFileException>(() => ContentFile.Read(root, "dir.md", 1024)).Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
