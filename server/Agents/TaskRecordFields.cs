using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Plue.Codex.Kinds;
using Plue.Instances;
using Plue.Protocol;

namespace Plue.Agents;

/// <summary>
/// A task record's fields (templates/task.json5 and its children), read by <see cref="FieldBinding"/>'s rule; their
/// names are <see cref="TaskFields"/>', for the code that writes them.
/// </summary>
public sealed record TaskRecordFields
{
    private static readonly TaskFieldsJsonContext s_json = new(FieldBinding.Options());

    public static TaskRecordFields Of(JsonObject fields) => FieldBinding.Bind(fields, s_json.TaskRecordFields);

    [JsonPropertyName(TaskFields.Goal)] public string? Goal { get; init; }
    [JsonPropertyName(TaskFields.ProviderRef)] public string? ProviderRef { get; init; }
    [JsonPropertyName(TaskFields.ModelId)] public string? ModelId { get; init; }
    [JsonPropertyName(TaskFields.Fallbacks), JsonConverter(typeof(FieldList<ModelFallbackFields>))] public IReadOnlyList<ModelFallbackFields> Fallbacks { get; set; } = [];
    [JsonPropertyName(TaskFields.SystemPromptRef)] public string? SystemPromptRef { get; init; }
    [JsonPropertyName(TaskFields.Agent)] public string? Agent { get; init; }
    [JsonPropertyName(TaskFields.AvailableTools)] public IReadOnlyList<string> AvailableTools { get; set; } = [];
    [JsonPropertyName(TaskFields.AutoApprove)] public IReadOnlyList<string> AutoApprove { get; set; } = [];
    [JsonPropertyName(TaskFields.McpTools)] public IReadOnlyList<string> McpTools { get; set; } = [];
    [JsonPropertyName(TaskFields.MaxSpawnedTasks)] public int? MaxSpawnedTasks { get; init; }
    [JsonPropertyName(TaskFields.MaxDepth)] public int? MaxDepth { get; init; }
    [JsonPropertyName(TaskFields.MaxTurns)] public int? MaxTurns { get; init; }
    [JsonPropertyName(TaskFields.SpendCapUsd)] public decimal? SpendCapUsd { get; init; }
    [JsonPropertyName(TaskFields.UnpricedUsdPerMillion)] public decimal? UnpricedUsdPerMillion { get; init; }
    [JsonPropertyName(TaskFields.BashTimeoutMs)] public int? BashTimeoutMs { get; init; }
    [JsonPropertyName(TaskFields.ChildTemplates)] public IReadOnlyList<string> ChildTemplates { get; set; } = [];
    [JsonPropertyName(TaskFields.Concurrency)] public int? Concurrency { get; init; }
    [JsonPropertyName(TaskFields.CompactAtPercent)] public int? CompactAtPercent { get; init; }
    [JsonPropertyName(TaskFields.CompactionModel)] public string? CompactionModel { get; init; }
    [JsonPropertyName(TaskFields.Isolation)] public string? Isolation { get; init; }
    [JsonPropertyName(TaskFields.Runs)] public string? Runs { get; init; }
    [JsonPropertyName(TaskFields.Engine)] public string? Engine { get; init; }
    [JsonPropertyName(TaskFields.Image)] public string? Image { get; init; }
    [JsonPropertyName(TaskFields.Cpus)] public double? Cpus { get; init; }
    [JsonPropertyName(TaskFields.MemoryMb)] public long? MemoryMb { get; init; }
    [JsonPropertyName(TaskFields.Pids)] public long? Pids { get; init; }
    [JsonPropertyName(TaskFields.CpusReserved)] public double? CpusReserved { get; init; }
    [JsonPropertyName(TaskFields.MemoryReservedMb)] public long? MemoryReservedMb { get; init; }
    [JsonPropertyName(TaskFields.Constraints)] public IReadOnlyList<string> Constraints { get; set; } = [];
    [JsonPropertyName(TaskFields.MaxJobs)] public int? MaxJobs { get; init; }
    [JsonPropertyName(TaskFields.StartLimitS)] public int? StartLimitS { get; init; }

    // Written by the runner.
    [JsonPropertyName(TaskFields.Result)] public string? Result { get; init; }
    [JsonPropertyName(TaskFields.StatusReason)] public string? StatusReason { get; init; }
    [JsonPropertyName(TaskFields.StartedAt)] public DateTimeOffset? StartedAt { get; init; }
    [JsonPropertyName(TaskFields.FinishedAt)] public DateTimeOffset? FinishedAt { get; init; }
    [JsonPropertyName(TaskFields.ElapsedMs)] public long? ElapsedMs { get; init; }
    [JsonPropertyName(TaskFields.RunOwner)] public string? RunOwner { get; init; }
    [JsonPropertyName(TaskFields.ContextWarning)] public string? ContextWarning { get; init; }

    /// <summary>The task's own fallback chain; null: its provider's.</summary>
    [JsonIgnore]
    public IReadOnlyList<ModelFallback>? FallbackChain => ModelFallbackFields.Chain(Fallbacks);
}
