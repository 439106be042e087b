namespace Plue.Agents;

/// <summary>The task template's field names (templates/task.json5 and its children); <see cref="TaskRecordFields"/> reads them.</summary>
public static class TaskFields
{
    /// <summary>The template every task template inherits from.</summary>
    public const string BaseTemplate = "task";

    public const string Goal = "goal";
    public const string ProviderRef = "provider_ref";
    public const string ModelId = "model_id";
    public const string Fallbacks = "fallbacks";
    public const string SystemPromptRef = "system_prompt_ref";
    public const string AvailableTools = "available_tools";
    public const string AutoApprove = "auto_approve";
    public const string McpTools = "mcp_tools";
    public const string Agent = "agent";
    public const string MaxSpawnedTasks = "max_spawned_tasks";
    public const string MaxDepth = "max_depth";
    public const string MaxTurns = "max_turns";
    public const string SpendCapUsd = "spend_cap_usd";
    public const string UnpricedUsdPerMillion = "unpriced_usd_per_million";
    public const string BashTimeoutMs = "bash_timeout_ms";
    public const string ChildTemplates = "child_templates";
    public const string Concurrency = "concurrency";
    public const string CompactAtPercent = "compact_at_percent";
    public const string CompactionModel = "compaction_model";
    public const string Isolation = "isolation";
    public const string Runs = "runs";
    public const string Engine = "engine";
    public const string Image = "image";
    public const string Cpus = "cpus";
    public const string MemoryMb = "memory_mb";
    public const string Pids = "pids";
    public const string CpusReserved = "cpus_reserved";
    public const string MemoryReservedMb = "memory_reserved_mb";
    public const string Constraints = "constraints";
    public const string MaxJobs = "max_jobs";
    public const string StartLimitS = "start_limit_s";

    // Written by the runner, never by a client: the template marks them role "feature-written" (FeatureWritten.Names).
    public const string Result = "result";
    public const string StatusReason = "status_reason";
    public const string StartedAt = "started_at";
    public const string FinishedAt = "finished_at";
    public const string ElapsedMs = "elapsed_ms";
    public const string RunOwner = "run_owner";
    public const string ContextWarning = "context_warning";
}
