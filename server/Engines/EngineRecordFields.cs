using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Plue.Codex.Kinds;

namespace Plue.Engines;

/// <summary>The fields of a <c>docker-engine</c> record (templates/docker-engine.json5), read by <see cref="FieldBinding"/>'s rule.</summary>
public sealed record EngineRecordFields
{
    public const string TemplateId = "docker-engine";
    public const string Local = "local";
    public const string HostConnection = "host";
    public const string ContextConnection = "context";

    private static readonly EngineFieldsJsonContext s_json = new(FieldBinding.Options());

    public static EngineRecordFields Of(JsonObject fields) => FieldBinding.Bind(fields, s_json.EngineRecordFields);

    [JsonPropertyName("connection")] public string? Connection { get; init; }
    [JsonPropertyName("host")] public string? Host { get; init; }
    [JsonPropertyName("tls_ca")] public string? TlsCa { get; init; }
    [JsonPropertyName("tls_cert")] public string? TlsCert { get; init; }
    [JsonPropertyName("tls_key")] public string? TlsKey { get; init; }
    [JsonPropertyName("context")] public string? Context { get; init; }
    /// <summary>An engine on another machine: <c>none</c> (the default) or <c>engine</c>, its containers on the engine's own network.</summary>
    [JsonPropertyName("network")] public string? Network { get; init; }

    public const string EngineNetwork = "engine";

    /// <summary>A Docker Swarm: the address is a manager's, and sub-tasks sent there run as swarm jobs.</summary>
    [JsonPropertyName("swarm")] public bool? Swarm { get; init; }
    /// <summary>The registry a swarm's nodes pull from, as <c>host[:port]</c> (<see cref="RegistryProblem"/>).</summary>
    [JsonPropertyName("registry")] public string? Registry { get; init; }

    public bool IsSwarm => Swarm == true;

    /// <summary>
    /// Why <paramref name="registry"/> is not a registry's <c>host[:port]</c> (a DNS name, an IPv4 address or a
    /// bracketed IPv6 one, and a port from 1 to 65535), in the user's words; null when it is one.
    /// </summary>
    public static string? RegistryProblem(string registry)
    {
        var said = $"'{registry}' is not a registry's address: give it as host[:port], for example registry.lan:5000 (no http:// and no path).";
        var (host, port) = (registry, "");
        if (registry.StartsWith('['))
        {
            var close = registry.IndexOf(']');
            if (close < 0) return said;
            (host, port) = (registry[..(close + 1)], registry[(close + 1)..]);
        }
        else if (registry.IndexOf(':') is var colon and >= 0)
        {
            (host, port) = (registry[..colon], registry[colon..]);
        }
        if (port.Length > 0 && (port[0] != ':' || !int.TryParse(port.AsSpan(1), System.Globalization.NumberStyles.None, null, out var number) || number is < 1 or > 65535))
            return said;
        if (host.StartsWith('['))
            return host.EndsWith(']') && System.Net.IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? null : said;
        return host.Length is > 0 and <= 253 && host.Split('.').All(label => label.Length is > 0 and <= 63
            && label.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-') && label[0] != '-' && label[^1] != '-') ? null : said;
    }

    /// <summary>Whether any TLS file is named (then all three must be).</summary>
    public bool NamesTls => TlsCa is not null || TlsCert is not null || TlsKey is not null;

    /// <summary>The engine's address; <paramref name="environment"/> gives DOCKER_HOST for a local one.</summary>
    public EngineAddress Address(Func<string, string?> environment) => Connection switch
    {
        HostConnection when Host is { } host => EngineAddress.Host(host),
        ContextConnection when Context is { } context => EngineAddress.Context(context),
        _ => EngineAddress.Local(environment),
    };
}

/// <summary>Binds <see cref="EngineRecordFields"/>; built on <see cref="FieldBinding.Options"/>.</summary>
[JsonSerializable(typeof(EngineRecordFields))]
internal sealed partial class EngineFieldsJsonContext : JsonSerializerContext;
