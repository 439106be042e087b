using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Plue.Codex.Kinds;

namespace Plue.Sessions;

/// <summary>
/// What a chat mode grants (templates/chat-mode.json5 and the templates deriving from it: a record's fields, or a
/// template's defaults), read by <see cref="FieldBinding"/>'s rule.
/// </summary>
public sealed record ModeRecordFields
{
    private static readonly ChatFieldsJsonContext s_json = new(FieldBinding.Options());

    public static ModeRecordFields Of(JsonObject fields) => FieldBinding.Bind(fields, s_json.ModeRecordFields);

    [JsonPropertyName("tools")] public IReadOnlyList<string> Tools { get; set; } = [];
    [JsonPropertyName("auto_approve")] public IReadOnlyList<string> AutoApprove { get; set; } = [];
    [JsonPropertyName("mcp_tools")] public IReadOnlyList<string> McpTools { get; set; } = [];
    [JsonPropertyName("system_prompt")] public string? SystemPrompt { get; init; }
    [JsonPropertyName("instance_ref")] public string? InstanceRef { get; init; }
    [JsonPropertyName(SessionService.ModelField)] public string? ModelId { get; init; }
    [JsonPropertyName(Plue.Sandbox.SandboxPolicies.Field)] public string? SandboxPolicy { get; init; }
}
