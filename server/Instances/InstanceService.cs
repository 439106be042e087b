using System.Text.Json.Nodes;
using Plue.Catalog;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Vault;
using static Plue.Instances.InstanceFields;
using ModelDefaults = Plue.Providers.ModelDefaults;

namespace Plue.Instances;

/// <summary>
/// Provider instances: <c>llm-provider</c> codices (collection <c>providers</c>) read through the catalog, plus the
/// API keys already in the environment offered as ready, read-only instances. A key given here goes to the vault
/// as <c>vault://&lt;catalogProviderId&gt;/&lt;slug&gt;</c>; the record keeps only that reference. Each instance
/// carries its latest test from <paramref name="tests"/> (none without one); a deleted instance's test and kept model
/// list (<paramref name="modelLists"/>) go with it.
/// </summary>
public sealed class InstanceService(CodexService codex, CatalogStore catalog, IVault vault, ProviderKind kind, Func<string, string?> environment, InstanceTestLog? tests = null,
    ModelListFile? modelLists = null)
{
    public const string EnvironmentPrefix = "env:";

    public ProviderInstance Create(CreateInstanceParams request)
    {
        var entry = catalog.Find(request.CatalogProviderId)
            ?? throw RpcException.InvalidParams($"Unknown catalog provider '{request.CatalogProviderId}'; Add Provider lists the providers there are");
        if (string.IsNullOrWhiteSpace(request.DisplayName)) throw RpcException.InvalidParams("displayName is required");
        if (request.ApiKey is not null && request.ApiKeyRef is not null) throw RpcException.InvalidParams("Give apiKey or apiKeyRef, not both");
        if (request.ApiKey is { } newKey) SecretText.CheckKey(newKey, $"'{request.DisplayName}'");

        var fields = Fields(request, clearing: false);
        fields[CatalogProviderId] = entry.Id;

        // The record comes first: its slug, won against any create at the same moment, names the key's vault entry,
        // so a create that fails or loses never touches a key another instance owns.
        var record = codex.CreateNamed(TemplateId, request.DisplayName, slug =>
        {
            var named = fields.DeepClone().AsObject();
            Set(named, ApiKeyRef, request.ApiKey is not null ? ProviderKind.OwnReference(entry.Id, slug) : request.ApiKeyRef);
            return new CodexDraft { TemplateId = TemplateId, Title = request.DisplayName, Slug = slug, Fields = codex.InTemplateNames(TemplateId, named, Aliases) };
        }, won: request.ApiKey is { } key ? created => StoreKey(created, key) : null); // the key is in the vault when the create is told
        return kind.Instance(record);
    }

    /// <summary>Stores a new instance's key; when the vault refuses it, the instance goes too, so none points at a key never stored.</summary>
    private void StoreKey(CodexRecord record, string key)
    {
        try
        {
            vault.Store(ProviderKind.OwnReference(ProviderRecordFields.Of(record.Fields).ProviderId ?? "", record.Slug), key);
        }
        catch
        {
            codex.Delete(record.Id);
            throw;
        }
    }

    /// <summary>Configured instances by display name, then the environment's.</summary>
    public IReadOnlyList<ProviderInstance> List()
    {
        // Every page, walked by id (no rename moves an instance past the walk), then told by name.
        var records = CodexPaging.Read(codex.List, new CodexQuery { TemplateIds = [TemplateId], Sort = CodexSort.IdDesc, Limit = CodexPaging.MaxLimit }, all: true)
            .OrderBy(r => r.Title, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal);
        var refs = vault.StoredOrNone();
        return [.. records.Select(r => kind.Instance(r, refs)), .. EnvironmentInstances()];
    }

    public ProviderInstance Get(string id)
    {
        if (id.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            return EnvironmentInstances().FirstOrDefault(i => i.Id == id)
                ?? throw PlueErrors.NotFound($"No environment instance '{id}': its API key variable is not set in the sidecar's environment");
        return kind.Instance(Record(id));
    }

    public ProviderInstance Update(UpdateInstanceParams request)
    {
        var current = Record(ReadOnlyCheck(request.Id));
        if (request.ApiKey is not null && request.ApiKeyRef is not null) throw RpcException.InvalidParams("Give apiKey or apiKeyRef, not both");
        if (request.DisplayName is { } name && string.IsNullOrWhiteSpace(name)) throw RpcException.InvalidParams("displayName cannot be empty");
        if (request.ApiKey is { } newKey) SecretText.CheckKey(newKey, $"'{request.DisplayName ?? current.Title}'");

        var before = ProviderRecordFields.Of(current.Fields);
        var ownRef = ProviderKind.OwnReference(before.ProviderId ?? "", current.Slug);
        var oldRef = before.ApiKeyRef;
        var change = Fields(request, clearing: true);
        Change(change, ApiKeyRef, request.ApiKey is not null ? ownRef : request.ApiKeyRef);

        var codexChange = new CodexChange { Id = current.Id, Version = request.Version, Title = request.DisplayName, Fields = codex.InTemplateNames(current.TemplateId, change, Aliases) };
        var updated = request.ApiKey is { } key ? UpdateWithKey(current, codexChange, ownRef, key) : codex.Update(codexChange);
        // A key the instance owned and no longer points at would be an orphan secret.
        if (oldRef == ownRef && ProviderRecordFields.Of(updated.Fields).ApiKeyRef != ownRef) vault.Delete(ownRef);
        return kind.Instance(updated);
    }

    /// <summary>Stores the new key, then updates the record; a refused update puts the previous key back.</summary>
    private CodexRecord UpdateWithKey(CodexRecord current, CodexChange change, string ownRef, string key)
    {
        if (current.Version != change.Version) throw Stale(current, change.Version);
        var previous = vault.Resolve(ownRef);
        vault.Store(ownRef, key);
        try
        {
            return codex.Update(change);
        }
        catch
        {
            if (previous is null) vault.Delete(ownRef);
            else vault.Store(ownRef, previous);
            throw;
        }
    }

    public ProviderInstance SetEnabled(string id, bool enabled)
    {
        var current = Record(ReadOnlyCheck(id));
        return kind.Instance(codex.Update(new CodexChange { Id = current.Id, Version = current.Version, Fields = new JsonObject { [Enabled] = enabled } }));
    }

    /// <summary>
    /// Deletes the record; the vault entry it owns, <c>vault://&lt;catalogProviderId&gt;/&lt;slug&gt;</c>, is put aside
    /// for an undo (<see cref="ProviderKind"/>); any other reference it merely points at (a shared key) is left alone.
    /// </summary>
    public void Delete(string id)
    {
        var current = Record(ReadOnlyCheck(id));
        codex.Delete(current.Id);
        tests?.Forget(current.Id);
        modelLists?.Forget(current.Id);
    }

    /// <summary>The record's defaults for every call on it (an instance from the environment has none).</summary>
    public ModelDefaults Defaults(string id) => id.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) ? ModelDefaults.None : Defaults(Record(id).Fields);

    private static ModelDefaults Defaults(JsonObject fields)
    {
        var provider = ProviderRecordFields.Of(fields);
        return new() { Temperature = provider.Temperature, MaxOutputTokens = provider.MaxTokens, ReasoningEffort = provider.ReasoningEffort };
    }

    /// <summary>The catalog's models for the instance, after its filter (discovery comes with the backends).</summary>
    public IReadOnlyList<CatalogModel> Models(string id)
    {
        var instance = Get(id);
        return catalog.Find(instance.CatalogProviderId) is { } entry ? instance.ModelFilter.Apply(entry.Provider.Models) : [];
    }

    /// <summary>What stands between the instance and a call, found without a network call (null: nothing); never a faked success.</summary>
    public string? Obstacle(string id) => Blocker(id)?.Problem;

    /// <summary><see cref="Obstacle"/> with what mends it.</summary>
    internal (string Problem, InstanceFix Fix)? Blocker(string id)
    {
        var instance = Get(id);
        var entry = catalog.Find(instance.CatalogProviderId);
        (string, InstanceFix)? blocker =
            entry is null ? ($"the catalog has no provider '{instance.CatalogProviderId}' any more", InstanceFix.Settings)
            : !entry.Summary.Supported ? ($"provider type '{entry.Summary.Type}' is not supported by the sidecar", InstanceFix.Settings)
            : !instance.Enabled ? ("the instance is disabled", InstanceFix.Enable)
            : NeedsKey(entry) && !instance.HasKey ? (MissingKey(instance), InstanceFix.Key)
            : ProviderTypes.NeedsEndpoint(entry.Summary.Type) && instance.Endpoint is null ? ("no endpoint: the catalog has no default; set one", InstanceFix.Settings)
            : null;
        return blocker;
    }

    internal static bool NeedsKey(CatalogEntry entry) => entry.ApiKeyEnv is not null;

    internal static string MissingKey(ProviderInstance instance) => instance.ApiKeyRef is not null
        ? $"no API key: the vault no longer holds its key; {GiveKey}"
        : $"no API key: {GiveKey}";

    /// <summary>What gives an instance its key, in the window and on the command line.</summary>
    private const string GiveKey = "give it one with Configure Provider Key on its row in the Providers view (or plue instances key)";

    internal string? EnvironmentValue(string variable) => environment(variable) is { Length: > 0 } value ? value : null;

    private IEnumerable<ProviderInstance> EnvironmentInstances()
    {
        foreach (var entry in catalog.List())
        {
            if (entry.ApiKeyEnv is not { } variable || EnvironmentValue(variable) is null || !entry.Summary.Supported) continue;
            yield return new ProviderInstance
            {
                Id = EnvironmentPrefix + entry.Id,
                Slug = entry.Id,
                Ref = EnvironmentPrefix + entry.Id,
                Title = $"{entry.Summary.Name} ({variable})",
                CatalogProviderId = entry.Id,
                ProviderType = entry.Summary.Type,
                Endpoint = entry.Summary.DefaultEndpoint,
                TimeoutMs = kind.Default(TimeoutMs),
                FirstByteTimeoutMs = kind.Default(FirstByteTimeoutMs),
                StallTimeoutMs = kind.Default(StallTimeoutMs),
                AnswerTimeoutMs = kind.Default(AnswerTimeoutMs),
                Retry = new RetryPolicy { MaxAttempts = kind.Default(RetryMaxAttempts), BaseDelayMs = kind.Default(RetryBaseDelayMs) },
                Enabled = true,
                Local = entry.Summary.Type == ProviderTypes.Ollama,
                ModelFilter = new ModelFilter(),
                HasKey = true,
                Credential = CredentialKind.ApiKey,
                FromEnvironment = true,
                EnvVar = variable,
                LastTest = tests?.Latest(EnvironmentPrefix + entry.Id),
            };
        }
    }

    /// <summary>What <see cref="InstanceTestResult.SettingsDigest"/> compares: the fields a test tries (not its title, its
    /// timeouts or its defaults: changing them changes nothing a test tried); null for an instance from the environment.</summary>
    public string? SettingsDigest(string id) => id.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) ? null : ProviderKind.Digest(Record(id));

    private CodexRecord Record(string id)
    {
        CodexRecord record;
        try
        {
            record = codex.Get(id);
        }
        catch (RpcException e) when (e.Code == PlueErrorCodes.NotFound)
        {
            throw PlueErrors.NotFound($"No provider instance has id '{id}': it was removed, or never existed. The Providers view lists those there are");
        }
        return record.TemplateId == TemplateId ? record
            : throw PlueErrors.NotFound($"'{id}' is a {record.TemplateId} codex, not a provider instance");
    }

    private static string ReadOnlyCheck(string id) => id.StartsWith(EnvironmentPrefix, StringComparison.Ordinal)
        ? throw RpcException.InvalidParams($"'{id}' comes from an environment variable and cannot be changed here; create an instance to configure that provider")
        : id;


    private static RpcException Stale(CodexRecord current, long version) =>
        PlueErrors.Conflict($"Provider instance '{current.Title}' changed since you read it (you have version {version}, it is at {current.Version}); reload and try again");

    private static JsonArray Lines(IReadOnlyList<string> lines) => new([.. lines.Select(l => (JsonNode?)JsonValue.Create(l))]);

    private static void Set(JsonObject fields, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) fields[name] = value;
    }

    /// <summary>
    /// The record fields a create's or an update's settings give, by one mapping: a value absent from the request
    /// leaves its field alone; on an update (<paramref name="clearing"/>) an empty text or list clears it, on a
    /// create there is nothing to clear.
    /// </summary>
    private static JsonObject Fields(InstanceSettings request, bool clearing)
    {
        var fields = new JsonObject();
        void Text(string name, string? value)
        {
            if (value is null || (value.Length == 0 && !clearing)) return;
            fields[name] = value.Length == 0 ? null : value;
        }
        void Number(string name, int? value)
        {
            if (value is { } v) fields[name] = v;
        }
        void Flag(string name, bool? value)
        {
            if (value is { } v) fields[name] = v;
        }
        void List<T>(string name, IReadOnlyCollection<T>? list, Func<JsonNode> node)
        {
            if (list is null || (list.Count == 0 && !clearing)) return;
            fields[name] = list.Count == 0 ? null : node();
        }
        Text(Endpoint, request.Endpoint);
        Text(DefaultModel, request.DefaultModel);
        Text(CliPath, request.CliPath);
        Text(Credential, FromCredential(request.Credential));
        Text(ApiVersion, request.ApiVersion);
        Text(Project, request.Project);
        Text(Region, request.Region);
        Text(Profile, request.Profile);
        Number(TimeoutMs, request.TimeoutMs);
        Number(FirstByteTimeoutMs, request.FirstByteTimeoutMs);
        Number(StallTimeoutMs, request.StallTimeoutMs);
        Number(RetryMaxAttempts, request.Retry?.MaxAttempts);
        Number(RetryBaseDelayMs, request.Retry?.BaseDelayMs);
        Number(ContextWindow, request.ContextWindow);
        Flag(Enabled, request.Enabled);
        Flag(Local, request.Local);
        List(Fallbacks, request.Fallbacks, () => FromFallbacks(request.Fallbacks!));
        List(Deployments, request.Deployments, () => FromDeployments(request.Deployments!));
        List(CliArgs, request.CliArgs, () => Lines(request.CliArgs!));
        List(CliEnv, request.CliEnv, () => Lines(request.CliEnv!));
        if (request.ModelFilter is { } filter)
            foreach (var (name, value) in FromFilter(filter)) if (value is not null || clearing) fields[name] = value;
        return fields;
    }

    /// <summary>Absent: unchanged; empty: cleared; else set.</summary>
    private static void Change(JsonObject change, string name, string? value)
    {
        if (value is null) return;
        change[name] = value.Length == 0 ? null : value;
    }
}
