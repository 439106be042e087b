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
