using System.Diagnostics;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers.ClaudeCode;
using Plue.Providers.Discovery;
using Plue.Providers.VsCodeLm;
using Plue.Providers;
using Plue.Rpc;

namespace Plue.Instances;

/// <summary>
/// The live side of instances: <c>instances/test</c> makes the cheapest real call of each backend
/// (the models list, Ollama's version, <c>claude auth status</c>); <c>instances/models</c> merges the
/// models the provider lists with the catalog's, cached per instance.
/// </summary>
public sealed class InstanceChecks(InstanceService instances, InstanceResolver resolver, CatalogStore catalog, VsCodeLmModels editorModels) : IDisposable
{
    // Made on first use: the sidecar's start-up builds every endpoint table and must stay cheap.
    private readonly Lazy<HttpClient> _http = new(ProviderClients.CreateHttpClient);
    private readonly Lazy<ModelListCache> _models = new(() => ModelListCache.Create(ProviderClients.CreateHttpClient()));

    public async Task<InstanceTestResult> TestAsync(string id, CancellationToken cancellationToken)
    {
        if (instances.Obstacle(id) is { } obstacle) return new InstanceTestResult { Ok = false, LatencyMs = 0, Error = obstacle };
        var connection = resolver.Resolve(id);
        if (connection.ProviderType == ProviderTypes.ClaudeCode)
        {
            var clock = Stopwatch.StartNew();
            var auth = await ClaudeCodeAuth.GetStatusAsync(connection.CliPath, null, cancellationToken).ConfigureAwait(false);
            var error = !auth.Installed ? $"The Claude Code CLI is not installed: {auth.Error}"
                : !auth.LoggedIn ? "The Claude Code CLI is not logged in: run `claude login` in a terminal"
                : null;
            return new InstanceTestResult { Ok = error is null, LatencyMs = clock.ElapsedMilliseconds, ModelCount = CatalogModels(connection).Count, Error = error };
        }
        if (connection.ProviderType == ProviderTypes.VsCodeLm) return await TestEditorModelsAsync(connection, cancellationToken).ConfigureAwait(false);
        var probe = await ProviderProbe.TestAsync(connection, _http.Value, cancellationToken).ConfigureAwait(false);
        var failure = probe.Ok || !IsCustomEndpoint(connection) ? probe.Error : CustomEndpointModels.Explain(connection, probe);
        return new InstanceTestResult { Ok = probe.Ok, LatencyMs = probe.LatencyMs, ModelCount = probe.ModelCount, Error = failure };
    }

    /// <summary>
    /// The instance's models. A server of the user's own has no catalog list to fall back on: when it cannot list its
    /// models, the ids the instance names are offered, and without any the error says to type one.
    /// </summary>
    public async Task<IReadOnlyList<CatalogModel>> ModelsAsync(string id, CancellationToken cancellationToken)
    {
        var (models, _, failure) = await ListAsync(id, cancellationToken).ConfigureAwait(false);
        return failure is not null && models.Count == 0 ? throw failure.ToRpcException() : models;
    }

    /// <summary>What the instance offers, and whether that is the provider's own word (listed) or only the catalog's.</summary>
    /// <remarks><c>Failure</c> is set only for a server of the user's own that could not list its models.</remarks>
    private async Task<(IReadOnlyList<CatalogModel> Models, bool Listed, ProviderException? Failure)> ListAsync(string id, CancellationToken cancellationToken)
    {
        // A disabled or keyless instance still shows what it would offer: the catalog's models.
        if (instances.Obstacle(id) is not null) return (instances.Models(id), false, null);
        var connection = resolver.Resolve(id);
        var known = CatalogModels(connection);
        // The claude CLI takes any model name its account can use (aliases, new dated ids): the catalog lists, it cannot judge.
        if (connection.ProviderType == ProviderTypes.ClaudeCode) return (connection.ModelFilter.Apply(known), false, null);
        try
        {
            var merged = connection.ProviderType == ProviderTypes.VsCodeLm
                ? ModelDiscovery.Merge(await editorModels.ListAsync(connection, cancellationToken).ConfigureAwait(false), known)
                : await _models.Value.GetAsync(connection, known, cancellationToken).ConfigureAwait(false);
            return (connection.ModelFilter.Apply(merged), true, null);
        }
        catch (Exception e) when (e is ProviderException or System.Text.Json.JsonException)
        {
            // The provider cannot list its models right now (or answers with something else): offer the catalog's
            // (instances/test says why); a server of the user's own has none, so the ids the instance names stand in.
            if (!IsCustomEndpoint(connection)) return (connection.ModelFilter.Apply(known), false, null);
            return (CustomEndpointModels.Named(instances.Get(id)), false, CustomEndpointModels.Failure(connection, e));
        }
    }

    private bool IsCustomEndpoint(ProviderConnection connection) => catalog.Find(connection.CatalogProviderId)?.Provider.IsCustomEndpoint == true;

    /// <summary>
    /// Refuses a model the instance does not offer (not listed, or outside its filter), naming what it does offer;
    /// <paramref name="allowUnlisted"/> lets a deliberate custom id through. An instance whose provider cannot list its
    /// models (an endpoint without /models, one that is down) cannot judge, so the id goes through.
    /// </summary>
    private static readonly TimeSpan ListBudget = TimeSpan.FromSeconds(5);

    public async Task RequireOfferedAsync(string instanceId, string modelId, bool allowUnlisted, CancellationToken cancellationToken)
    {
        // The catalog's models (after the filter) are known without asking the provider.
        if (allowUnlisted || instances.Models(instanceId).Any(m => m.Id == modelId)) return;
        // Creating a chat must not wait on a slow /models: past a few seconds the list is as good as unavailable.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(ListBudget);
        IReadOnlyList<CatalogModel> offered;
        bool listed;
        try
        {
            (offered, listed, _) = await ListAsync(instanceId, budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return;
        }
        if (!listed || offered.Count == 0 || offered.Any(m => m.Id == modelId)) return;
        var names = string.Join(", ", offered.Take(12).Select(m => m.Id)) + (offered.Count > 12 ? $" and {offered.Count - 12} more" : "");
        throw RpcException.InvalidParams(
            $"modelId: '{modelId}' is not a model {instances.Get(instanceId).DisplayName} offers (its list and model filter). It offers: {names}. Choose one of those, or set allowUnlisted to use this id anyway.");
    }

    private async Task<InstanceTestResult> TestEditorModelsAsync(ProviderConnection connection, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var models = await editorModels.ListAsync(connection, cancellationToken).ConfigureAwait(false);
            return new InstanceTestResult { Ok = true, LatencyMs = clock.ElapsedMilliseconds, ModelCount = models.Count };
        }
        catch (ProviderException e)
        {
            return new InstanceTestResult { Ok = false, LatencyMs = clock.ElapsedMilliseconds, Error = e.Message };
        }
    }

    private IReadOnlyList<CatalogModel> CatalogModels(ProviderConnection connection) =>
        catalog.Find(connection.CatalogProviderId)?.Provider.Models ?? [];

    public void Dispose()
    {
        if (_http.IsValueCreated) _http.Value.Dispose();
    }
}
