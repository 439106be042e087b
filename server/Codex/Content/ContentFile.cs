using Plue.Workspace;

namespace Plue.Codex.Content;

/// <summary>
/// Reads a file of a content root (a template, a prompt) as text: only from inside its root whatever links lie on the
/// way, and then as every file the sidecar did not write is read (<see cref="RegularFile"/>): regular files only,
/// never more than a limit.
/// </summary>
public static class ContentFile
{
    /// <summary>The file's text (UTF-8, a byte order mark dropped). Throws <see cref="ContentFileException"/> saying why not.</summary>
    public static string Read(string root, string relative, int maxBytes) => Read(root, relative, maxBytes, out _);

    /// <summary>The same, with the real path read (links followed), so a caller need not resolve it again.</summary>
    public static string Read(string root, string relative, int maxBytes, out string real)
    {
        real = Confine(root, relative);
        try
        {
            return RegularFile.ReadText(real, maxBytes);
        }
        catch (RegularFileException e)
        {
            throw new ContentFileException(e.Message);
        }
    }

    /// <summary>The file's bytes as they are (a catalog file, parsed as UTF-8 JSON), read by the same rules.</summary>
    public static ReadOnlyMemory<byte> ReadBytes(string root, string relative, int maxBytes)
    {
        var real = Confine(root, relative);
        try
        {
            return RegularFile.ReadBytes(real, maxBytes);
        }
        catch (RegularFileException e)
        {
            throw new ContentFileException(e.Message);
        }
    }

    private static string Confine(string root, string relative) => ConfinedPath.Resolve(root, relative)
        ?? throw new ContentFileException(File.Exists(Path.Combine(root, relative)) || Directory.Exists(Path.Combine(root, relative))
            ? $"it leads outside {root}, and only files inside it are read"
            : "it does not exist (a link that leads nowhere?)");
}

/// <summary>Why a content file was not read, in words that finish "… was not read: ".</summary>
public sealed class ContentFileException(string message) : Exception(message);
