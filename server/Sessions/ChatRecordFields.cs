using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Plue.Codex.Kinds;
using Plue.Instances;
using Plue.Protocol;

namespace Plue.Sessions;

/// <summary>The settings of a chat record (templates/ai-chat.json5) its turns use, read by <see cref="FieldBinding"/>'s rule.</summary>
public sealed record ChatRecordFields
{
    private static readonly ChatFieldsJsonContext s_json = new(FieldBinding.Options());

    public static ChatRecordFields Of(JsonObject fields) => FieldBinding.Bind(fields, s_json.ChatRecordFields);

    [JsonPropertyName(SessionService.ModelField)] public string? ModelId { get; init; }
    [JsonPropertyName(SessionService.ModeField)] public string? Mode { get; init; }
    [JsonPropertyName("system_prompt_ref")] public string? SystemPromptRef { get; init; }
    [JsonPropertyName("system_prompt_override")] public string? SystemPromptOverride { get; init; }
    [JsonPropertyName("context_files")] public IReadOnlyList<string> ContextFiles { get; set; } = [];
    [JsonPropertyName(ChatInstructions.UseField)] public bool? UseInstructionsFiles { get; init; }
    [JsonPropertyName("compact_at_percent")] public int? CompactAtPercent { get; init; }
    [JsonPropertyName("compaction_model")] public string? CompactionModel { get; init; }
    [JsonPropertyName(ChatSettings.AvailableTools)] public IReadOnlyList<string> AvailableTools { get; set; } = [];
    /// <summary>The MCP servers' tools granted to the chat (<c>mcp__server</c>, <c>mcp__server__tool</c>), as a task's <c>mcp_tools</c>.</summary>
    [JsonPropertyName("mcp_tools")] public IReadOnlyList<string> McpTools { get; set; } = [];
    [JsonPropertyName("max_output_tokens")] public int? MaxOutputTokens { get; init; }
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }
    [JsonPropertyName("top_p")] public double? TopP { get; init; }
    [JsonPropertyName("stop_sequences")] public IReadOnlyList<string> StopSequences { get; set; } = [];
    [JsonPropertyName("reasoning_effort")] public string? ReasoningEffort { get; init; }
    [JsonPropertyName("fallbacks"), JsonConverter(typeof(FieldList<ModelFallbackFields>))] public IReadOnlyList<ModelFallbackFields> Fallbacks { get; set; } = [];

    /// <summary>The chat's own fallback chain; null: its provider's.</summary>
    [JsonIgnore] public IReadOnlyList<ModelFallback>? FallbackChain => ModelFallbackFields.Chain(Fallbacks);
}
