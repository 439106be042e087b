using System.Collections.Concurrent;

namespace Plue.Workspace;

/// <summary>
/// Files' texts read once and kept until their folder's watch says a file changed (<see cref="Clear"/>): the
/// instructions files a turn sends are read once per change, never at each turn. A file that could not be read keeps
/// its reason until then too.
/// </summary>
public sealed class FileTextCache
{
    private readonly ConcurrentDictionary<string, (string? Text, string? Error)> _texts = new(StringComparer.Ordinal);
    private long _reads;

    /// <summary>How many times a file was read from disk (a figure the tests read).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>The file's text, read with <see cref="RegularFile.ReadText"/> the first time.</summary>
    /// <exception cref="RegularFileException">It cannot be read (the same reason until the cache is cleared).</exception>
    public string Read(string path, int maxBytes)
    {
        var (text, error) = _texts.GetOrAdd(path, p =>
        {
            Interlocked.Increment(ref _reads);
            try
            {
                return (RegularFile.ReadText(p, maxBytes), null);
            }
            catch (RegularFileException e)
            {
                return (null, e.Message);
            }
        });
        return text ?? throw new RegularFileException(error!);
    }

    public void Clear() => _texts.Clear();
}
