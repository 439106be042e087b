using System.Text;
using System.Text.Json;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Catalog;

/// <summary>Reads and writes catalog provider files in the project's format.</summary>
public static class CatalogFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The largest catalog file read or imported: the biggest shipped one is about 120 KiB.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The longest provider or model name, and model id (the shipped ones stay under 70 characters).</summary>
    public const int MaxNameLength = 200;

    /// <summary>A shipped file, as every file the sidecar did not write is read (<see cref="RegularFile"/>).</summary>
    public static ReadOnlyMemory<byte> ReadShipped(string path) => RegularFile.ReadBytes(path, MaxBytes);

    /// <summary>The file text: indented, explicit nulls, LF, a final newline.</summary>
    public static string Serialize(CatalogProvider provider) =>
        JsonSerializer.Serialize(provider, CatalogJsonContext.Files.CatalogProvider) + "\n";

    /// <summary>Parses a file; throws <see cref="JsonException"/> with the JSON path when it is malformed.</summary>
    public static CatalogProvider Parse(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, CatalogJsonContext.Default.CatalogProvider)
        ?? throw new JsonException("the file holds null, not a provider object");

    /// <summary>
    /// Writes <paramref name="path"/> so a reader never sees half a file: a private temp file in the same
    /// folder, flushed, then renamed over the target. User files may hold private endpoints: 0600.
    /// </summary>
    public static void WriteAtomic(string path, CatalogProvider provider)
    {
        var bytes = Encoding.UTF8.GetBytes(Serialize(provider));
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
