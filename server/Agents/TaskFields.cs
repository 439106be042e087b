using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plue.Agents;

/// <summary>The task template's field names (templates/task.json5 and its children), and typed reads of them.</summary>
public static class TaskFields
{
    /// <summary>The template every task template inherits from.</summary>
    public const string BaseTemplate = "task";

    public const string Goal = "goal";
    public const string ProviderRef = "provider_ref";
    public const string ModelId = "model_id";
    public const string SystemPromptRef = "system_prompt_ref";
    public const string AvailableTools = "available_tools";
    public const string AutoApprove = "auto_approve";
    public const string McpTools = "mcp_tools";
    public const string MaxSpawnedTasks = "max_spawned_tasks";
    public const string MaxDepth = "max_depth";
    public const string MaxTurns = "max_turns";
    public const string SpendCapUsd = "spend_cap_usd";
    public const string UnpricedUsdPerMillion = "unpriced_usd_per_million";
    /// <summary>The task template's default for <see cref="UnpricedUsdPerMillion"/>, for tasks made before the field.</summary>
    public const decimal DefaultUnpricedUsdPerMillion = 10m;
    public const string BashTimeoutMs = "bash_timeout_ms";
    public const string ChildTemplates = "child_templates";
    public const string Concurrency = "concurrency";
    public const string CompactAtPercent = "compact_at_percent";
    public const string CompactionModel = "compaction_model";
    public const string Isolation = "isolation";

    // Written by the runner, never by a client.
    public const string Result = "result";
    public const string StatusReason = "status_reason";
    public const string StartedAt = "started_at";
    public const string FinishedAt = "finished_at";
    public const string ElapsedMs = "elapsed_ms";
    public const string RunOwner = "run_owner";
    public const string ContextWarning = "context_warning";

    public static IReadOnlyList<string> RunnerWritten { get; } = [Result, StatusReason, StartedAt, FinishedAt, ElapsedMs, RunOwner, ContextWarning];

    public static string? Text(JsonObject fields, string name) =>
        fields[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;

    /// <summary>A number field, whichever CLR type its node holds (parsed JSON, a template default, a value just set).</summary>
    public static decimal? Number(JsonObject fields, string name)
    {
        if (fields[name] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number) return null;
        if (value.TryGetValue<decimal>(out var exact)) return exact;
        if (value.TryGetValue<double>(out var floating)) return (decimal)floating;
        if (value.TryGetValue<long>(out var whole)) return whole;
        return value.TryGetValue<JsonElement>(out var element) && element.TryGetDecimal(out var parsed) ? parsed : null;
    }

    public static int? Int(JsonObject fields, string name) => Number(fields, name) is { } number ? (int)Math.Min(number, int.MaxValue) : null;

    public static IReadOnlyList<string> List(JsonObject fields, string name) =>
        fields[name] is JsonArray items ? [.. items.Select(i => i?.GetValueKind() == JsonValueKind.String ? i.GetValue<string>() : null).OfType<string>()] : [];

    public static DateTimeOffset? Time(JsonObject fields, string name) =>
        Text(fields, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;

    public static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
