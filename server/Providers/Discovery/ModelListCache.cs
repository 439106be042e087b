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
/// </summary>
public sealed class ModelListCache(Func<ProviderConnection, CancellationToken, Task<IReadOnlyList<DiscoveredModel>>> discover, TimeSpan ttl, TimeProvider? time = null)
{
    /// <summary>How long a failed first listing is remembered.</summary>
    public static readonly TimeSpan FailureHold = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<DiscoveredModel>>>> _listing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Exception Error, DateTimeOffset Until, string Source)> _failed = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The production cache: live discovery over <paramref name="http"/>, 10 minutes fresh.</summary>
    public static ModelListCache Create(HttpClient http, TimeSpan? ttl = null) =>
        new((c, ct) => new ModelDiscovery(c, http).DiscoverAsync(ct), ttl ?? TimeSpan.FromMinutes(10));

    public ProviderException? LastError(string instanceId) => _entries.TryGetValue(instanceId, out var e) ? e.Error : null;

    public async Task<IReadOnlyList<CatalogModel>> GetAsync(ProviderConnection connection, IReadOnlyList<CatalogModel> catalog, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var source = Source(connection);
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
            _entries[connection.InstanceId] = new Entry(models, _time.GetUtcNow(), source);
            _failed.TryRemove(connection.InstanceId, out _);
            return models;
        }
        catch (Exception e) when (e is ProviderException or System.Text.Json.JsonException)
        {
            _failed[connection.InstanceId] = (e, _time.GetUtcNow() + FailureHold, source);
            throw;
        }
    }

    /// <summary>What the provider said when it last listed the instance's models; null when it has not yet. Never a network call.</summary>
    public IReadOnlyList<DiscoveredModel>? Cached(string instanceId) => _entries.TryGetValue(instanceId, out var entry) ? entry.Models : null;

    private async Task RefreshAsync(ProviderConnection connection, Entry stale)
    {
        try
        {
            var models = await discover(connection, CancellationToken.None).ConfigureAwait(false);
            _entries[connection.InstanceId] = new Entry(models, _time.GetUtcNow(), stale.Source);
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

        public bool TryStartRefresh() => Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0;
        public void EndRefresh() => Volatile.Write(ref _refreshing, 0);
    }
}
