using System.Diagnostics;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers.Acp;
using Plue.Providers.ClaudeCode;
using Plue.Providers.Discovery;
using Plue.Providers.VsCodeLm;
using Plue.Providers;
using Plue.Rpc;

namespace Plue.Instances;

/// <summary>
/// The live side of instances: <c>instances/test</c> makes the cheapest real call of each backend
/// (the models list, Ollama's version, <c>claude auth status</c>), and keeps its result as the instance's last test;
/// <c>instances/models</c> merges the models the provider lists with the catalog's, cached per instance.
/// </summary>
public sealed class InstanceChecks(InstanceService instances, InstanceResolver resolver, CatalogStore catalog, VsCodeLmModels editorModels, InstanceTestLog tests,
    ClaudeCodeChildEnvironment claudeEnvironment, ModelListFile modelLists, Sandbox.SandboxContext sandbox) : IDisposable
{
    // Made on first use: the sidecar's start-up builds every endpoint table and must stay cheap.
    private readonly Lazy<HttpClient> _http = new(ProviderClients.CreateHttpClient);
    private readonly Lazy<ModelListCache> _models = new(() => ModelListCache.Create(new Lazy<HttpClient>(ProviderClients.CreateHttpClient), modelLists));

    /// <summary>Tests the instance and keeps the result as its last test (a cancelled test keeps nothing).</summary>
    public async Task<InstanceTestResult> TestAsync(string id, CancellationToken cancellationToken)
    {
        // Read before the test: an edit made while it runs makes the result stale, as it should.
        var digest = instances.SettingsDigest(id);
        var result = await RunTestAsync(id, cancellationToken).ConfigureAwait(false) with { SettingsDigest = digest };
        tests.Record(id, result);
        return result;
    }

    /// <summary>
    /// Enables or disables the instance. Enabling tests it at once and returns it with that test as its last, so a
    /// broken instance reads as failed (with what mends it) now rather than at its first chat; it stays enabled, as
    /// asked: a provider that is down for a moment is no reason to undo the user's choice.
    /// </summary>
    public async Task<ProviderInstance> SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken)
    {
        var instance = instances.SetEnabled(id, enabled);
        if (!enabled) return instance;
        await TestAsync(instance.Id, cancellationToken).ConfigureAwait(false);
        return instances.Get(instance.Id);
    }

    private async Task<InstanceTestResult> RunTestAsync(string id, CancellationToken cancellationToken)
    {
        if (instances.Blocker(id) is { } blocker) return Result(false, 0, error: blocker.Problem, fix: blocker.Fix);
        var connection = resolver.Resolve(id);
        if (connection.ProviderType == ProviderTypes.ClaudeCode)
        {
            var clock = Stopwatch.StartNew();
            // The environment its chats get: its own key and endpoint, not only the sidecar's.
            var auth = await ClaudeCodeAuth.GetStatusAsync(connection, claudeEnvironment.Variables, cancellationToken).ConfigureAwait(false);
            (string Error, InstanceFix Fix)? problem = !auth.Installed ? ($"The Claude Code CLI is not installed: {auth.Error}", InstanceFix.Settings)
                : !auth.LoggedIn ? ("The Claude Code CLI is not logged in: run `claude login` in a terminal", InstanceFix.Login)
                : null;
            return Result(problem is null, clock.ElapsedMilliseconds, CatalogModels(connection).Count, problem?.Error, problem?.Fix);
        }
        if (connection.ProviderType == ProviderTypes.VsCodeLm) return await TestEditorModelsAsync(connection, cancellationToken).ConfigureAwait(false);
        if (connection.ProviderType == ProviderTypes.AcpAgent)
        {
            var agent = await AcpAgentProbe.TestAsync(connection, sandbox.Workspace, cancellationToken).ConfigureAwait(false);
            return Result(agent.Ok, agent.LatencyMs, error: agent.Error, fix: agent.Ok ? null : InstanceFix.Settings) with { Agent = agent.Agent };
        }
        var probe = await ProviderProbe.TestAsync(connection, _http.Value, cancellationToken).ConfigureAwait(false);
        var failure = probe.Ok || !IsCustomEndpoint(connection) ? probe.Error : CustomEndpointModels.Explain(connection, probe);
        return Result(probe.Ok, probe.LatencyMs, probe.ModelCount, failure, probe.Ok ? null : FixFor(probe.Kind));
    }

    /// <summary>
    /// What mends a failed probe: a refused key is the key's to mend; an endpoint that is unreachable, silent, lacks
    /// the path or speaks another format (no kind) is the instance's settings'. Credit, rate limits and a provider's
    /// own outage are nothing the instance's settings change.
    /// </summary>
    private static InstanceFix? FixFor(ProviderErrorKind? kind) => kind switch
    {
        ProviderErrorKind.BadKey => InstanceFix.Key,
        null or ProviderErrorKind.Unreachable or ProviderErrorKind.Timeout or ProviderErrorKind.ModelNotFound or ProviderErrorKind.Malformed => InstanceFix.Settings,
        _ => null,
    };

    private static InstanceTestResult Result(bool ok, long latencyMs, int? modelCount = null, string? error = null, InstanceFix? fix = null) =>
        new() { Ok = ok, LatencyMs = latencyMs, ModelCount = modelCount, Error = error, Fix = fix, TestedAt = DateTimeOffset.UtcNow };

    /// <summary>
    /// The instance's models. A server of the user's own has no catalog list to fall back on: when it cannot list its
    /// models, the ids the instance names are offered, and without any the error says to type one.
    /// </summary>
    public async Task<IReadOnlyList<CatalogModel>> ModelsAsync(string id, CancellationToken cancellationToken)
    {
        var (models, _, failure) = await ListAsync(id, cancellationToken).ConfigureAwait(false);
        return failure is not null && models.Count == 0 ? throw failure.ToRpcException() : models;
    }

    /// <summary>
    /// The context window a conversation on this model has: the instance's own setting, else the catalog's, else what the
    /// provider reported when it last listed its models (Ollama's <c>/api/show</c>, a <c>/models</c> context length). Never a network call.
    /// </summary>
    public int? ContextWindow(ProviderInstance instance, string modelId, CatalogModel? catalogModel) =>
        instance.ContextWindow ?? catalogModel?.ContextWindow
        ?? (_models.IsValueCreated ? _models.Value.Cached(instance.Id)?.FirstOrDefault(m => m.Id == modelId)?.ContextWindow : null);

    /// <summary>
    /// What the instance is known to offer without asking it: the catalog's models and those it listed last (if it has
    /// been asked), its own context window applied, after its filter.
    /// </summary>
    public IReadOnlyList<CatalogModel> KnownModels(ProviderInstance instance)
    {
        var known = catalog.Find(instance.CatalogProviderId)?.Provider.Models ?? [];
        var merged = _models.IsValueCreated && _models.Value.Cached(instance.Id) is { } listed ? ModelDiscovery.Merge(listed, known) : known;
        if (instance.ContextWindow is { } window) merged = [.. merged.Select(m => m with { ContextWindow = window })];
        return instance.ModelFilter.Apply(merged);
    }

    /// <summary>
    /// Lists an Ollama instance's models (within a few seconds, failures ignored) when the model's context window is not known
    /// without asking, so that <see cref="ContextWindow"/> knows it next.
    /// </summary>
    public async Task LearnContextWindowAsync(string instanceId, string modelId, CancellationToken cancellationToken)
    {
        var instance = instances.Get(instanceId);
        var known = catalog.Find(instance.CatalogProviderId)?.Provider.Models.FirstOrDefault(m => m.Id == modelId);
        // Only Ollama reports each model's window as it lists them (/api/show); other lists rarely say, and cost a request.
        if (instance.ProviderType != ProviderTypes.Ollama || ContextWindow(instance, modelId, known) is not null || instances.Obstacle(instanceId) is not null) return;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(ListBudget);
        try
        {
            await ListAsync(instanceId, budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Too slow to wait for: the window stays unknown until a later listing.
        }
    }

    /// <summary>What the instance offers (with its own context window, if set), and whether that is the provider's own word (listed) or only the catalog's.</summary>
    /// <remarks><c>Failure</c> is set only for a server of the user's own that could not list its models.</remarks>
    private async Task<(IReadOnlyList<CatalogModel> Models, bool Listed, ProviderException? Failure)> ListAsync(string id, CancellationToken cancellationToken)
    {
        var (models, listed, failure) = await OfferedAsync(id, cancellationToken).ConfigureAwait(false);
        return instances.Get(id).ContextWindow is { } window ? ([.. models.Select(m => m with { ContextWindow = window })], listed, failure) : (models, listed, failure);
    }

    private async Task<(IReadOnlyList<CatalogModel> Models, bool Listed, ProviderException? Failure)> OfferedAsync(string id, CancellationToken cancellationToken)
    {
        // A disabled or keyless instance still shows what it would offer: the catalog's models.
        if (instances.Obstacle(id) is not null) return (instances.Models(id), false, null);
        var connection = resolver.Resolve(id);
        var known = CatalogModels(connection);
        // The claude CLI takes any model name its account can use (aliases, new dated ids): the catalog lists, it cannot
        // judge. An ACP agent picks its own model, which the catalog's one model stands for: there is no list to ask.
        if (connection.ProviderType is ProviderTypes.ClaudeCode or ProviderTypes.AcpAgent) return (connection.ModelFilter.Apply(known), false, null);
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

    /// <summary>How long a call waits for a provider's model list before going on without it.</summary>
    private static readonly TimeSpan ListBudget = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Refuses a model the instance does not offer (not listed, or outside its filter), naming what it does offer;
    /// <paramref name="allowUnlisted"/> lets a deliberate custom id through. An instance whose provider cannot list its
    /// models (an endpoint without /models, one that is down) cannot judge, so the id goes through.
    /// </summary>
    /// <param name="otherwise">What else the caller may do, ending the refusal; the default speaks of <c>allowUnlisted</c>, which a model calling spawn_task cannot set.</param>
    public async Task RequireOfferedAsync(string instanceId, string modelId, bool allowUnlisted, CancellationToken cancellationToken,
        string otherwise = "set allowUnlisted to use this id anyway")
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
        // A list an earlier sidecar kept may predate the model: only the provider's word now refuses it.
        if (_models.Value.IsRecalled(instanceId))
        {
            _models.Value.DropRecalled(instanceId);
            await RequireOfferedAsync(instanceId, modelId, allowUnlisted, cancellationToken, otherwise).ConfigureAwait(false);
            return;
        }
        var names = string.Join(", ", offered.Take(12).Select(m => m.Id)) + (offered.Count > 12 ? $" and {offered.Count - 12} more" : "");
        throw RpcException.InvalidParams(
            $"modelId: '{modelId}' is not a model {instances.Get(instanceId).DisplayName} offers (its list and model filter). It offers: {names}. Choose one of those, or {otherwise}.");
    }

    private async Task<InstanceTestResult> TestEditorModelsAsync(ProviderConnection connection, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var models = await editorModels.ListAsync(connection, cancellationToken).ConfigureAwait(false);
            return Result(true, clock.ElapsedMilliseconds, models.Count);
        }
        catch (ProviderException e)
        {
            return Result(false, clock.ElapsedMilliseconds, error: e.Message);
        }
    }

    private IReadOnlyList<CatalogModel> CatalogModels(ProviderConnection connection) =>
        catalog.Find(connection.CatalogProviderId)?.Provider.Models ?? [];

    public void Dispose()
    {
        if (_http.IsValueCreated) _http.Value.Dispose();
    }
}
