using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Plue.Vault;
using Plue.Workspace;

namespace Plue.Instances;

/// <summary>
/// A JSON file of the home that every sidecar on it writes (each instance's last test, the model lists kept): parsed
/// again only when it changed (its time of writing and length), each change read again first and written whole (0600,
/// atomically), a missing or damaged file read as <paramref name="empty"/>: it only loses what it kept.
/// </summary>
internal sealed class SharedHomeFile<T>(Func<string> path, JsonTypeInfo<T> type, int maxBytes, Func<T> empty) where T : class
{
    private readonly Lock _gate = new();
    private (DateTime Written, long Length, T Value)? _cache;

    public T Read()
    {
        lock (_gate)
        {
            var file = new FileInfo(path());
            if (!file.Exists) return empty();
            if (_cache is { } cached && cached.Written == file.LastWriteTimeUtc && cached.Length == file.Length) return cached.Value;
            try
            {
                // Bounded like every file read from the home: a FIFO put in its place must not hang the caller.
                var value = JsonSerializer.Deserialize(RegularFile.ReadBytes(file.FullName, maxBytes).Span, type) ?? empty();
                _cache = (file.LastWriteTimeUtc, file.Length, value);
                return value;
            }
            catch (Exception e) when (e is JsonException or IOException or RegularFileException)
            {
                return empty();
            }
        }
    }

    /// <summary>Writes what <paramref name="change"/> makes of the file's current value (which it must not alter: make a copy).</summary>
    public void Change(Func<T, T> change)
    {
        lock (_gate)
        {
            AtomicFile.Write(path(), JsonSerializer.SerializeToUtf8Bytes(change(Read()), type));
            _cache = null;
        }
    }
}
