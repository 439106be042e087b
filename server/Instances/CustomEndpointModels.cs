using System.Text.Json;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers;
using Plue.Providers.Discovery;

namespace Plue.Instances;

/// <summary>
/// The models of a server of the user's own (an OpenAI- or Anthropic-compatible custom endpoint) when it cannot list
/// them: there is no catalog list to fall back on, so the ids the instance names stand in, and the error says to type one.
/// </summary>
public static class CustomEndpointModels
{
    /// <summary>Statuses of a server that has no model list at all (rather than one that refused the key or is down).</summary>
    private static bool NoListRoute(int? status) => status is 404 or 405 or 501;

    /// <summary>The ids the instance names (its default model, its "only these models"), with unknown prices.</summary>
    public static IReadOnlyList<CatalogModel> Named(ProviderInstance instance) =>
    [
        .. new[] { instance.DefaultModel }.Concat(instance.ModelFilter.Allow ?? []).OfType<string>().Where(id => id.Length > 0).Distinct(StringComparer.Ordinal)
            .Select(id => new CatalogModel { Id = id, Name = id, Prices = null }),
    ];

    /// <summary>Why listing failed, in words that say what to do; an error that already does (a refused key, a server down) is kept.</summary>
    public static ProviderException Failure(ProviderConnection connection, Exception cause) => cause switch
    {
        ProviderException { Status: var status } e when NoListRoute(status) => NoList(connection, $"it answered HTTP {status}", e),
        ProviderException { Kind: ProviderErrorKind.Malformed } e => NoList(connection, "its answer is not a model list", e),
        JsonException e => NoList(connection, "its answer is not a model list", e),
        ProviderException e => e,
        _ => new ProviderException(ProviderErrorKind.ServerError, cause.Message, inner: cause),
    };

    /// <summary>The error of <c>instances/test</c> for such a server.</summary>
    public static string? Explain(ProviderConnection connection, ProbeResult probe) =>
        NoListRoute(probe.Status) ? NoList(connection, $"it answered HTTP {probe.Status}", null).Message
        // No kind: the probe's answer was not JSON of a model list at all.
        : probe.Kind is null or ProviderErrorKind.Malformed ? NoList(connection, "its answer is not a model list", null).Message
        : probe.Error;

    private static ProviderException NoList(ProviderConnection connection, string what, Exception? inner) => new(ProviderErrorKind.ModelNotFound,
        $"{connection.InstanceName ?? connection.InstanceId} does not list its models at {ListUrl(connection)} ({what}), so Plue cannot offer them. "
        + "Type the id of a model the server serves: Edit Provider Instance and set Default model (or Only these models), then pick it.",
        inner: inner);

    private static string ListUrl(ProviderConnection connection) =>
        connection.Endpoint?.TrimEnd('/') + (connection.ProviderType == ProviderTypes.Anthropic ? "/v1/models" : "/models");
}
