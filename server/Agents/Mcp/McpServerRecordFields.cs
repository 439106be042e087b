using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Plue.Codex.Kinds;

namespace Plue.Agents.Mcp;

/// <summary>The fields of an <c>mcp-server</c> record (templates/mcp-server.json5), read by <see cref="FieldBinding"/>'s rule.</summary>
public sealed record McpServerRecordFields
{
    private static readonly McpFieldsJsonContext s_json = new(FieldBinding.Options());

    public static McpServerRecordFields Of(JsonObject fields) => FieldBinding.Bind(fields, s_json.McpServerRecordFields);

    [JsonPropertyName("transport")] public string? Transport { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("headers")] public IReadOnlyList<string> Headers { get; set; } = [];
    [JsonPropertyName("oauth_client_metadata_url")] public string? ClientMetadataUrl { get; init; }
    [JsonPropertyName("command")] public string? Command { get; init; }
    [JsonPropertyName("args")] public IReadOnlyList<string> Args { get; set; } = [];
    [JsonPropertyName("env")] public IReadOnlyList<string> Env { get; set; } = [];
    [JsonPropertyName("trusted")] public bool? Trusted { get; init; }
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
}
