using System.Collections.Concurrent;
using Plue.Instances;
using Plue.Protocol;

namespace Plue.Providers.Discovery;

/// <summary>
/// Merged model lists per instance with a TTL. A fresh entry is served as is; a stale one is served at once while
/// one background refresh runs; only an instance never listed waits for the provider. A failed refresh keeps
/// the stale list (the error is in <see cref="LastError"/>). An instance never listed is listed once however many ask
/// at the same time, and a first listing that failed is answered with its error for <see cref="FailureHold"/>
/// without asking again: a storm of chats on a provider that refuses (429) costs one listing and its retries, not one per chat.
/// What is kept is kept for the instance's place and key at the time: an instance whose endpoint, region or key changed is
/// listed anew, so a list (or a refusal) from the server it pointed at before never stands for the one it points at now.
/// With a place to keep them (<see cref="IKeptModelLists"/>), each list is also kept for the next sidecar: an instance this one has not listed
/// yet is served the list an earlier one kept, at once, as an entry of that list's age (refreshed behind when stale).
/// </summary>
public sealed class ModelListCache(Func<ProviderConnection, CancellationToken, Task<IReadOnlyList<DiscoveredModel>>> discover, TimeSpan ttl, TimeProvider? time = null,
    IKeptModelLists? file = null)
{
    /// <summary>How long a failed first listing is remembered.</summary>
    public static readonly TimeSpan FailureHold = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<DiscoveredModel>>>> _listing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Exception Error, DateTimeOffset Until, string Source)> _failed = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    // Instances whose kept list was looked for: once per process, so a list dropped as stale is not recalled again.
    private readonly ConcurrentDictionary<string, bool> _recalled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastKeep = new(StringComparer.Ordinal);
    private readonly Lock _keeping = new();
    private long _keeps;

    /// <summary>
    /// The production cache: live discovery over <paramref name="http"/> (made at the first listing: a list kept by an
    /// earlier sidecar needs none), 10 minutes fresh, lists kept in <paramref name="file"/>.
    /// </summary>
    public static ModelListCache Create(Lazy<HttpClient> http, IKeptModelLists? file = null, TimeSpan? ttl = null) =>
        new((c, ct) => new ModelDiscovery(c, http.Value).DiscoverAsync(ct), ttl ?? TimeSpan.FromMinutes(10), file: file);

    public ProviderException? LastError(string instanceId) => _entries.TryGetValue(instanceId, out var e) ? e.Error : null;

    public async Task<IReadOnlyList<CatalogModel>> GetAsync(ProviderConnection connection, IReadOnlyList<CatalogModel> catalog, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var source = Source(connection);
        Recall(connection.InstanceId, source);
        if (_entries.TryGetValue(connection.InstanceId, out var entry) && entry.Source == source)
        {
            if (now - entry.At >= ttl && entry.TryStartRefresh())
                _ = RefreshAsync(connection, entry); // stale: serve it, refresh behind
            return ModelDiscovery.Merge(entry.Models, catalog);
        }
        if (_failed.TryGetValue(connection.InstanceId, out var failed) && failed.Source == source && now < failed.Until)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed.Error);
        var key = connection.InstanceId + "\n" + source;
        var listing = _listing.GetOrAdd(key, _ => new(() => ListFirstAsync(connection, source)));
        try
        {
            return ModelDiscovery.Merge(await listing.Value.WaitAsync(cancellationToken).ConfigureAwait(false), catalog);
        }
        finally
        {
            if (listing.Value.IsCompleted) _listing.TryRemove(KeyValuePair.Create(key, listing));
        }
    }

    /// <summary>The one listing every caller waits on; it runs to its own timeouts whoever stops waiting.</summary>
    private async Task<IReadOnlyList<DiscoveredModel>> ListFirstAsync(ProviderConnection connection, string source)
    {
        try
        {
            var models = await discover(connection, CancellationToken.None).ConfigureAwait(false);
            _entries[connection.InstanceId] = Kept(connection.InstanceId, new Entry(models, _time.GetUtcNow(), source));
            _failed.TryRemove(connection.InstanceId, out _);
            return models;
        }
        catch (Exception e) when (e is ProviderException or System.Text.Json.JsonException)
        {
            _failed[connection.InstanceId] = (e, _time.GetUtcNow() + FailureHold, source);
            throw;
        }
    }

    /// <summary>Whether the instance's list is one an earlier sidecar kept, not yet listed again by this one.</summary>
    public bool IsRecalled(string instanceId) => _entries.TryGetValue(instanceId, out var entry) && entry.Recalled;

    /// <summary>
    /// Drops a list an earlier sidecar kept, so that the next ask lists the models now: a model it lacks may have come
    /// since. A list this sidecar heard stays.
    /// </summary>
    public void DropRecalled(string instanceId)
    {
        if (_entries.TryGetValue(instanceId, out var entry) && entry.Recalled) _entries.TryRemove(KeyValuePair.Create(instanceId, entry));
    }

    /// <summary>Takes the list an earlier sidecar kept for the instance, if this one has not heard or looked for one yet.</summary>
    private void Recall(string instanceId, string source)
    {
        if (file is null || _entries.ContainsKey(instanceId) || !_recalled.TryAdd(instanceId, true)) return;
        try
        {
            if (file.Recall(instanceId, source) is { } kept) _entries.TryAdd(instanceId, new Entry(kept.Models, kept.At, source) { Recalled = true });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable home costs a listing, nothing more.
        }
    }

    /// <summary>
    /// Keeps a list just heard for the next sidecar, off the caller's path (the file is synced to disk), best effort: a
    /// home that cannot be written costs the next sidecar a listing.
    /// </summary>
    private Entry Kept(string instanceId, Entry entry)
    {
        if (file is null) return entry;
        var keep = Interlocked.Increment(ref _keeps);
        _lastKeep[instanceId] = keep;
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            lock (_keeping)
            {
                // A list heard later is kept instead: one kept out of order would stand for the instance in the next sidecar.
                if (_lastKeep.GetValueOrDefault(instanceId) != keep) return;
                try
                {
                    file.Keep(instanceId, entry.Source, entry.Models, entry.At);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }, null);
        return entry;
    }

    /// <summary>What the provider said when it last listed the instance's models; null when it has not yet. Never a network call.</summary>
    public IReadOnlyList<DiscoveredModel>? Cached(string instanceId) => _entries.TryGetValue(instanceId, out var entry) ? entry.Models : null;

    private async Task RefreshAsync(ProviderConnection connection, Entry stale)
    {
        try
        {
            var models = await discover(connection, CancellationToken.None).ConfigureAwait(false);
            _entries[connection.InstanceId] = Kept(connection.InstanceId, new Entry(models, _time.GetUtcNow(), stale.Source));
        }
        catch (Exception ex)
        {
            // Nobody awaits a background refresh: keep the failure for LastError and allow the next one.
            stale.Error = ex as ProviderException ?? new ProviderException(ProviderErrorKind.ServerError, $"Listing the models of {connection} failed: {ex.Message}", inner: ex);
            stale.EndRefresh();
        }
    }

    /// <summary>Where and as whom the instance lists its models: a digest, so the key is not kept beside the list.</summary>
    private static string Source(ProviderConnection c) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Join('\n', c.Endpoint, c.Region, c.Project, c.Profile, c.ApiVersion, c.ApiKey))));

    private sealed class Entry(IReadOnlyList<DiscoveredModel> models, DateTimeOffset at, string source)
    {
        private int _refreshing;

        public IReadOnlyList<DiscoveredModel> Models { get; } = models;
        public DateTimeOffset At { get; } = at;
        public string Source { get; } = source;
        public ProviderException? Error { get; set; }

        /// <summary>Kept by an earlier sidecar (<see cref="IKeptModelLists"/>), not heard by this one.</summary>
        public bool Recalled { get; init; }

        public bool TryStartRefresh() => Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0;
        public void EndRefresh() => Volatile.Write(ref _refreshing, 0);
    }
}

/// <summary>Where a sidecar keeps the model lists it heard for the next one on its home (<c>Instances/ModelListFile</c>).</summary>
public interface IKeptModelLists
{
    /// <summary>The list kept for the instance when it was listed from <paramref name="source"/> (where and as whom), and when; null when none was.</summary>
    (IReadOnlyList<DiscoveredModel> Models, DateTimeOffset At)? Recall(string instanceId, string source);

    void Keep(string instanceId, string source, IReadOnlyList<DiscoveredModel> models, DateTimeOffset at);
}
