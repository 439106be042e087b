using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Plue.Providers.Discovery;

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

    // No file (or a damaged one) reads as none kept, under a new salt.
    private readonly SharedHomeFile<Stored> _file = new(() => Path.Combine(home(), FileName), ModelListJsonContext.Default.Stored, MaxFileBytes, Fresh);

    public (IReadOnlyList<DiscoveredModel> Models, DateTimeOffset At)? Recall(string instanceId, string source)
    {
        var stored = Read();
        return stored.Lists.TryGetValue(instanceId, out var list) && list.Source == Digest(stored.Salt, source) ? (list.Models, list.At) : null;
    }

    public void Keep(string instanceId, string source, IReadOnlyList<DiscoveredModel> models, DateTimeOffset at) =>
        Change(stored => stored.Lists[instanceId] = new StoredList { Source = Digest(stored.Salt, source), At = at, Models = [.. models] });

    /// <summary>Forgets a deleted instance's list.</summary>
    public void Forget(string instanceId)
    {
        if (Read().Lists.ContainsKey(instanceId)) Change(stored => stored.Lists.Remove(instanceId));
    }

    private void Change(Action<Stored> change) => _file.Change(kept =>
    {
        var current = Salted(kept);
        var stored = new Stored { Salt = current.Salt, Lists = new(current.Lists, StringComparer.Ordinal) };
        change(stored);
        return stored;
    });

    private Stored Read() => Salted(_file.Read());

    /// <summary>A file without its salt is read as none kept.</summary>
    private static Stored Salted(Stored stored) => stored.Salt.Length > 0 ? stored : Fresh();

    private static Stored Fresh() => new() { Salt = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)) };

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
