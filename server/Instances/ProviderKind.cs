using System.Text.Json.Nodes;
using Plue.Catalog;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Providers;
using Plue.Rpc;
using Plue.Vault;
using static Plue.Instances.InstanceFields;

namespace Plue.Instances;

/// <summary>
/// The <c>llm-provider</c> kind: the rules every write of a provider instance meets, through <c>codex/*</c> or
/// <c>instances/*</c> alike, and the key it owns in the vault (<c>vault://&lt;provider&gt;/&lt;slug&gt;</c>), put away
/// when the record is deleted and brought back by undo; and the instance a record is (<see cref="Instance(CodexRecord)"/>),
/// with its key found in the vault and its latest test from <paramref name="tests"/>.
/// </summary>
public sealed class ProviderKind(CatalogStore catalog, IVault vault, Func<TemplateRegistry> templates, InstanceTestLog? tests = null) : IRecordKind
{
    /// <summary>Where a deleted instance's key waits for an undo: <c>vault://undo/&lt;record id&gt;</c>.</summary>
    private const string UndoProvider = "undo";

    public string TemplateId => InstanceFields.TemplateId;

    /// <summary>A template whose provider field is a select offers only its options: the catalog's other providers are gone.</summary>
    public string? LostByReplacing(TemplateDefinition replacement)
    {
        if ((replacement.Field(CatalogProviderId) ?? replacement.Field(ProviderTypeAlias))?.Options is not { Count: > 0 } options) return null;
        var offered = options.Select(o => o.Value).ToHashSet(StringComparer.Ordinal);
        var lost = catalog.List().Where(e => !offered.Contains(e.Id)).Select(e => e.Summary.Name).ToList();
        const int shown = 8;
        return lost.Count == 0 ? null
            : $"these providers are no longer offered: {string.Join(", ", lost.Take(shown))}{(lost.Count > shown ? $" and {lost.Count - shown} more" : "")}";
    }

    public IEnumerable<FieldError> Check(CodexRecord? before, JsonObject fields)
    {
        var given = ProviderRecordFields.Of(fields);
        var provider = given.ProviderId;
        if (provider is not null && provider != (before is null ? null : ProviderRecordFields.Of(before.Fields).ProviderId) && catalog.Find(provider) is null)
            yield return new FieldError(fields.ContainsKey(CatalogProviderId) ? CatalogProviderId : Aliases[CatalogProviderId]!,
                $"'{provider}' is not a provider of the catalog; Add Provider lists the providers there are");
        if (given.ApiKeyRef is { } keyRef && !VaultReference.TryParse(keyRef, out _, out var error))
            yield return new FieldError(ApiKeyRef, error);
        // A password in the endpoint's URL would be kept in clear in the record, read back by every list: it goes in the key.
        if (ProviderSecrets.UrlPassword(given.Endpoint) is not null)
            yield return new FieldError(Endpoint, "holds a password (user:password@host), which would be kept in clear: remove it from the URL and give it as the instance's key");
        var type = provider is null ? null : catalog.Find(provider)?.Summary.Type;
        // An ACP agent is a program Plue starts: one that cannot be found is said now, not at the first chat.
        if (type == ProviderTypes.AcpAgent && given.CliPath is { Length: > 0 } program && program != (before is null ? null : ProviderRecordFields.Of(before.Fields).CliPath)
            && !ProgramExists(program))
            yield return new FieldError(CliPath, $"'{(Path.IsPathRooted(program) ? Path.GetFileName(program) : program)}' was not found{(Path.IsPathRooted(program) || program.Contains('/') ? " at the path given" : " on the PATH")}: install the agent, then give its command as you type it in a terminal (for example claude-code-acp) or its full path");
        foreach (var line in given.Deployments)
        {
            var eq = line.IndexOf('=');
            var (model, deployment) = eq < 0 ? ("", "") : (line[..eq].Trim(), line[(eq + 1)..].Trim());
            if (model.Length == 0 || deployment.Length == 0 || deployment.Contains('/') || deployment.Contains('='))
                yield return new FieldError(Deployments, $"'{line}' is not model=deployment; give each model the name of the deployment that serves it, for example gpt-5=my-gpt5");
            else if (type is not null && CloudNames.Problem(type, "deployment", deployment) is { } problem)
                yield return new FieldError(Deployments, $"'{deployment}' is not {problem}");
        }
        // The values a cloud URL is built from are checked here, at entry, and again where the URL is built.
        foreach (var (name, value) in ((string Name, string? Value)[])[(Region, given.Region), (Project, given.Project), (ApiVersion, given.ApiVersion)])
        {
            if (type is not null && value is not null && CloudNames.Problem(type, name, value) is { } problem)
                yield return new FieldError(name, $"'{(value.Length > 64 ? value[..64] + "…" : value)}' is not {problem}");
        }
        // An entry that is not an object does not read as one, so the complete ones are counted against the raw list.
        var incomplete = ((fields[Fallbacks] as JsonArray)?.Count ?? 0) - (given.FallbackChain?.Count ?? 0);
        for (var i = 0; i < incomplete; i++)
            yield return new FieldError(Fallbacks, "each needs provider_ref (codex://providers/<slug> or env:<provider>) and model_id");
    }

    /// <summary>A file at the path given, or (a bare name) on the sidecar's PATH, with Windows' program extensions.</summary>
    private static bool ProgramExists(string program)
    {
        if (Path.IsPathRooted(program) || program.Contains('/') || program.Contains('\\')) return File.Exists(program);
        var names = OperatingSystem.IsWindows() ? new[] { program, program + ".exe", program + ".cmd", program + ".bat" } : [program];
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => names.Any(name => File.Exists(Path.Combine(dir, name))));
    }

    public RecordView View(CodexRecord record) => new ProviderView { Instance = Instance(record) };

    /// <summary>
    /// The template's default of a number every instance has (a timeout, a retry): for a record written before the
    /// template had it, and an instance from the environment, which has no record. Read from the <c>llm-provider</c>
    /// template in force, else the shipped file (a user's template may leave a default out): templates/llm-provider.json5
    /// is the one place these are written.
    /// </summary>
    public int Default(string field) => (int)templates().Current.DefaultNumber(TemplateId, TemplateId, field);

    /// <summary>The instance a record is, as <c>instances/get</c> reads it.</summary>
    public ProviderInstance Instance(CodexRecord record) => Instance(record, vault.StoredOrNone());

    /// <param name="vaultRefs">The vault's references (<see cref="IVault.StoredOrNone"/>), read once for a list.</param>
    public ProviderInstance Instance(CodexRecord record, IReadOnlySet<string> vaultRefs)
    {
        var fields = ProviderRecordFields.Of(record.Fields);
        var providerId = fields.ProviderId ?? "";
        var entry = catalog.Find(providerId);
        var endpointOverride = fields.Endpoint;
        var keyRef = fields.ApiKeyRef;
        return new ProviderInstance
        {
            CatalogProviderId = providerId,
            ProviderType = entry?.Summary.Type,
            Endpoint = endpointOverride ?? entry?.Summary.DefaultEndpoint,
            EndpointOverride = endpointOverride,
            TimeoutMs = fields.TimeoutMs ?? Default(TimeoutMs),
            FirstByteTimeoutMs = fields.FirstByteTimeoutMs ?? Default(FirstByteTimeoutMs),
            StallTimeoutMs = fields.StallTimeoutMs ?? Default(StallTimeoutMs),
            AnswerTimeoutMs = fields.AnswerTimeoutMs ?? Default(AnswerTimeoutMs),
            Retry = new Protocol.RetryPolicy
            {
                MaxAttempts = fields.RetryMaxAttempts ?? Default(RetryMaxAttempts),
                BaseDelayMs = fields.RetryBaseDelayMs ?? Default(RetryBaseDelayMs),
            },
            Enabled = fields.Enabled ?? true,
            ModelFilter = fields.ModelFilter,
            DefaultModel = fields.ModelName,
            Local = entry?.Summary.Type == ProviderTypes.Ollama || fields.Local == true,
            ContextWindow = fields.ContextWindow,
            Fallbacks = fields.FallbackChain,
            CliPath = fields.CliPath,
            CliArgs = fields.CliArgs is { Count: > 0 } args ? args : null,
            CliEnv = fields.CliEnv is { Count: > 0 } env ? env : null,
            CliAllowedHosts = fields.CliAllowedHosts is { Count: > 0 } hosts ? hosts : null,
            Credential = fields.CredentialKind,
            ApiVersion = fields.ApiVersion,
            Project = fields.Project,
            Region = fields.Region,
            Profile = fields.Profile,
            Deployments = fields.DeploymentMap,
            ApiKeyRef = keyRef,
            HasKey = keyRef is not null && vaultRefs.Contains(keyRef),
            FromEnvironment = false,
            LastTest = tests?.Latest(record.Id) is { } test && (test.SettingsDigest is null || test.SettingsDigest == Digest(record)) ? test : null,
        }.Headed(record);
    }

    /// <summary>
    /// What <see cref="InstanceTestResult.SettingsDigest"/> compares: the fields a test tries (<see cref="TestedFields"/>),
    /// so a rename, a timeout, a sampling default or enabling leaves the last test standing; an endpoint, a key, a
    /// provider, a model or how the key is sent makes it stale.
    /// </summary>
    internal static string Digest(CodexRecord record)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (name, value) in record.Fields.Where(f => TestedFields.Contains(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal))
            text.Append(name).Append('=').Append(value?.ToJsonString()).Append('\n');
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())), 0, 12);
    }

    /// <summary>The fields a test's call depends on: where it goes, who the provider is, the key and how it is sent, the model, the agent's command.</summary>
    private static readonly HashSet<string> TestedFields =
    [
        InstanceFields.CatalogProviderId, InstanceFields.ProviderTypeAlias, InstanceFields.Endpoint, InstanceFields.ApiKeyRef, InstanceFields.Credential,
        InstanceFields.ApiVersion, InstanceFields.Project, InstanceFields.Region, InstanceFields.Profile, InstanceFields.Deployments,
        InstanceFields.DefaultModel, InstanceFields.ModelAlias, InstanceFields.CliPath, InstanceFields.CliArgs, InstanceFields.CliEnv,
    ];

    /// <summary>The key the instance owned moves aside, out of reach of a new instance that takes the slug, until an undo.</summary>
    public void Deleted(CodexRecord record)
    {
        if (OwnedKey(record) is { } own) Move(own, UndoReference(record));
    }

    public void Restored(CodexRecord record)
    {
        if (OwnedKey(record) is { } own) Move(UndoReference(record), own);
    }

    /// <summary>The vault entry an instance with this slug owns.</summary>
    internal static string OwnReference(string providerId, string slug) => $"{VaultReference.Scheme}{providerId}/{slug}";

    private static string? OwnedKey(CodexRecord record)
    {
        var fields = ProviderRecordFields.Of(record.Fields);
        var own = OwnReference(fields.ProviderId ?? "", record.Slug);
        return fields.ApiKeyRef == own ? own : null;
    }

    private static string UndoReference(CodexRecord record) => $"{VaultReference.Scheme}{UndoProvider}/{record.Id}";

    private void Move(string from, string to)
    {
        try
        {
            if (vault.Resolve(from) is not { } key) return;
            vault.Store(to, key);
            vault.Delete(from);
        }
        catch (RpcException e) when (e.Code == PlueErrorCodes.VaultError)
        {
            // The vault cannot be opened: the key stays where it was, and the committed change stands.
        }
    }
}
