namespace Plue.Vault;

/// <summary>Writes a private file so a reader, or a crash, never leaves half of it: temp file (0600) in the same folder, fsync, rename over.</summary>
public static class AtomicFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, Options(FileMode.CreateNew)))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            s_writtenHere[Path.GetFullPath(path)] = Stamp(path);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>What this process last wrote to each file: its stamp (<see cref="Stamp"/>) right after the write.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> s_writtenHere = new(StringComparer.Ordinal);

    /// <summary>A file's size and time of last write, as one string to compare; "-" when it does not exist.</summary>
    public static string Stamp(string path) => new FileInfo(path) is { Exists: true } f ? $"{f.Length}:{f.LastWriteTimeUtc.Ticks}" : "-";

    /// <summary>Whether <paramref name="path"/> is as this process last wrote it: the change seen is its own, not another process's.</summary>
    public static bool WrittenHere(string path) => s_writtenHere.TryGetValue(Path.GetFullPath(path), out var stamp) && stamp == Stamp(path);

    /// <summary>Creates <paramref name="path"/> only if it does not exist yet (0600); false when another writer was first.</summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var stream = new FileStream(path, Options(FileMode.CreateNew));
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static FileStreamOptions Options(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        return options;
    }
}
