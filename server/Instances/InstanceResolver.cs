using Plue.Catalog;
using Plue.Codex.References;
using Plue.Protocol;
using Plue.Providers;
using Plue.Rpc;
using Plue.Vault;

namespace Plue.Instances;

/// <summary>
/// Turns an instance id into the <see cref="ProviderConnection"/> a backend calls with, reading the key at call
/// time: from the vault, or from the environment for an environment instance (never copied anywhere).
/// </summary>
public sealed class InstanceResolver(InstanceService instances, CatalogStore catalog, IVault vault)
{
    /// <summary>Throws -33003 naming what is missing (disabled, unsupported, no key) and -33001 for an unknown id.</summary>
    public ProviderConnection Resolve(string instanceId)
    {
        var instance = instances.Get(instanceId);
        var entry = catalog.Find(instance.CatalogProviderId)
            ?? throw Refused(instance, $"the catalog has no provider '{instance.CatalogProviderId}' any more");
        if (!entry.Summary.Supported) throw Refused(instance, $"provider type '{entry.Summary.Type}' is not supported by the sidecar");
        if (!instance.Enabled) throw Refused(instance, "the instance is disabled; enable it with Enable Provider Instance on its row in the Providers view (or plue instances enable)");

        var key = instance.EnvVar is { } variable ? instances.EnvironmentValue(variable)
            : instance.ApiKeyRef is { } reference ? vault.Resolve(reference)
            : null;
        if (key is null && InstanceService.NeedsKey(entry)) throw Refused(instance, InstanceService.MissingKey(instance));
        if (instance.Endpoint is null && ProviderTypes.NeedsEndpoint(entry.Summary.Type))
            throw Refused(instance, "it has no endpoint and the catalog has no default; edit the instance and set its URL (for Azure, https://<resource>.openai.azure.com)");

        var (agentEnvironment, agentSecrets) = AgentEnvironment(instance);
        var connection = new ProviderConnection
        {
            InstanceId = instance.Id,
            InstanceName = instance.DisplayName,
            ProviderType = entry.Summary.Type,
            CatalogProviderId = entry.Id,
            ProviderName = entry.Summary.Name,
            Endpoint = instance.Endpoint,
            ApiKey = key,
            TimeoutMs = instance.TimeoutMs,
            FirstByteTimeoutMs = instance.FirstByteTimeoutMs,
            StallTimeoutMs = instance.StallTimeoutMs,
            AnswerTimeoutMs = instance.AnswerTimeoutMs,
            MaxAttempts = instance.Retry.MaxAttempts ?? 0,
            BaseDelayMs = instance.Retry.BaseDelayMs ?? 0,
            CliPath = instance.CliPath,
            CliArgs = instance.CliArgs ?? [],
            CliEnvironment = agentEnvironment,
            AllowedHosts = instance.CliAllowedHosts ?? [],
            Credential = instance.Credential,
            ApiVersion = instance.ApiVersion,
            Project = instance.Project,
            Region = instance.Region,
            Profile = instance.Profile,
            Deployments = instance.Deployments ?? new Dictionary<string, string>(),
            ModelFilter = instance.ModelFilter,
            Local = instance.Local,
            Defaults = instances.Defaults(instance.Id),
        };
        // A key an agent's variable holds is as secret as the instance's own: scrubbed from whatever the agent says.
        connection.Secrets.Add([.. agentSecrets]);
        return connection;
    }

    /// <summary>An ACP agent's NAME=value lines, a vault:// value resolved here, in memory; a line that is not NAME=value is refused.</summary>
    private (Dictionary<string, string> Variables, List<string> Secrets) AgentEnvironment(ProviderInstance instance)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new List<string>();
        foreach (var line in instance.CliEnv ?? [])
        {
            var eq = line.IndexOf('=');
            if (eq <= 0) throw Refused(instance, $"its environment line '{line.Split('=')[0]}' is not NAME=value; edit the instance");
            var (name, value) = (line[..eq].Trim(), line[(eq + 1)..]);
            if (!value.StartsWith(VaultReference.Scheme, StringComparison.Ordinal))
            {
                variables[name] = value;
                continue;
            }
            variables[name] = vault.Resolve(value) ?? throw Refused(instance, $"its variable {name} names a secret the vault no longer holds; set the variable again in the instance's settings");
            secrets.Add(variables[name]);
        }
        return (variables, secrets);
    }

    private static RpcException Refused(ProviderInstance instance, string why) =>
        new(PlueErrorCodes.ProviderError, $"Provider instance '{instance.DisplayName}' cannot be used: {why}");
}
