using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Plue.Providers.Discovery;
using Plue.Vault;
using Plue.Workspace;

namespace Plue.Instances;

/// <summary>
/// The model lists providers gave last, kept in <c>PLUE_HOME/model-lists.json</c>, so that a new window's first chat on a
/// model its provider listed (one the catalog does not name) starts without asking <c>/models</c> again, and the model
/// picker shows that list at once. Each list is kept with where and as whom it was listed as a salted digest (the key
/// never is): an instance whose endpoint or key changed since gets nothing from here. The file holds no secret; it is
/// private (0600) like every file of the home. Other sidecars on the same home write it too: each write reads it
/// again first and replaces it whole. A damaged file only costs a listing.
/// </summary>
public sealed class ModelListFile(Func<string> home) : IKeptModelLists
{
    private const string FileName = "model-lists.json";
    private const int MaxFileBytes = 8 * 1024 * 1024;

    private readonly Lock _gate = new();
    private (DateTime Written, long Length, Stored Lists)? _cache;

    private string FilePath => Path.Combine(home(), FileName);

    public (IReadOnlyList<DiscoveredModel> Models, DateTimeOffset At)? Recall(string instanceId, string source)
    {
        lock (_gate)
        {
            var stored = Read();
            return stored.Lists.TryGetValue(instanceId, out var list) && list.Source == Digest(stored.Salt, source) ? (list.Models, list.At) : null;
        }
    }

    public void Keep(string instanceId, string source, IReadOnlyList<DiscoveredModel> models, DateTimeOffset at) =>
        Change(stored => stored.Lists[instanceId] = new StoredList { Source = Digest(stored.Salt, source), At = at, Models = [.. models] });

    /// <summary>Forgets a deleted instance's list.</summary>
    public void Forget(string instanceId)
    {
        lock (_gate)
        {
            if (Read().Lists.ContainsKey(instanceId)) Change(stored => stored.Lists.Remove(instanceId));
        }
    }

    private void Change(Action<Stored> change)
    {
        lock (_gate)
        {
            var current = Read();
            var stored = new Stored { Salt = current.Salt, Lists = new(current.Lists, StringComparer.Ordinal) };
            change(stored);
            AtomicFile.Write(FilePath, JsonSerializer.SerializeToUtf8Bytes(stored, ModelListJsonContext.Default.Stored));
            _cache = null;
        }
    }

    /// <summary>The file's lists, parsed again only when it changed; a new salt when there is no file (or it is damaged).</summary>
    private Stored Read()
    {
        var file = new FileInfo(FilePath);
        if (_cache is { } cached && file.Exists && cached.Written == file.LastWriteTimeUtc && cached.Length == file.Length) return cached.Lists;
        Stored? stored = null;
        if (file.Exists)
        {
            try
            {
                // Bounded like every file read from the home: a FIFO put in its place must not hang a chat's start.
                stored = JsonSerializer.Deserialize(RegularFile.ReadBytes(file.FullName, MaxFileBytes).Span, ModelListJsonContext.Default.Stored);
            }
            catch (Exception e) when (e is JsonException or IOException or RegularFileException)
            {
            }
        }
        if (stored is not { Salt.Length: > 0 })
        {
            stored = new Stored { Salt = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), Lists = new(StringComparer.Ordinal) };
            _cache = null;
            return stored;
        }
        _cache = (file.LastWriteTimeUtc, file.Length, stored);
        return stored;
    }

    private static string Digest(string salt, string source) =>
        Convert.ToHexString(HMACSHA256.HashData(Convert.FromBase64String(salt), Encoding.UTF8.GetBytes(source)));

    internal sealed class Stored
    {
        public string Salt { get; set; } = "";
        public Dictionary<string, StoredList> Lists { get; set; } = new(StringComparer.Ordinal);
    }

    internal sealed class StoredList
    {
        public string Source { get; set; } = "";
        public DateTimeOffset At { get; set; }
        public List<DiscoveredModel> Models { get; set; } = [];
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelListFile.Stored))]
internal sealed partial class ModelListJsonContext : JsonSerializerContext;
