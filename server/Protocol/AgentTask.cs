using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>An agent task: a codex from a task template plus its live state and what its subtree spent.</summary>
public sealed record AgentTask : RecordHead
{
    public required string TemplateId { get; init; }
    public required string Goal { get; init; }
    public string? ParentId { get; init; }
    /// <summary>0 for a task the user started; a sub-task is its parent's depth + 1.</summary>
    public required int Depth { get; init; }
    public required AgentTaskStatus Status { get; init; }
    /// <summary>Why the task is in its status, in words for the user: the error, the cap reached, "Interrupted".</summary>
    public string? StatusReason { get; init; }
    public required string InstanceId { get; init; }
    public required string ModelId { get; init; }
    public required IReadOnlyList<string> AvailableTools { get; init; }
    /// <summary>This task's own model calls.</summary>
    public required TokenUsage Usage { get; init; }
    /// <summary>A lower bound ("at least") when <see cref="CostSources"/> holds <c>unknown</c>; null when no call's cost is known: never shown as 0.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public decimal? CostUsd { get; init; }
    /// <summary>Where the figures in <see cref="CostUsd"/> came from, each source once.</summary>
    public IReadOnlyList<CostSource> CostSources { get; init; } = [];
    /// <summary>This task and every task below it.</summary>
    public required TokenUsage TotalUsage { get; init; }
    /// <summary>A lower bound when <see cref="TotalCostSources"/> holds <c>unknown</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public decimal? TotalCostUsd { get; init; }
    public IReadOnlyList<CostSource> TotalCostSources { get; init; } = [];
    public decimal? SpendCapUsd { get; init; }
    /// <summary>
    /// What the spend cap counted, when some call in the tree has no known price: the known cost plus those calls'
    /// tokens at the task's <c>unpriced_usd_per_million</c>. Shown where the total alone would be unknown or a bare lower bound.
    /// </summary>
    public decimal? CapCountedUsd { get; init; }
    /// <summary>
    /// Set when the spend cap counts some spending at an assumed price: the task's model has no known price (nor is it
    /// local, nor does its provider report a cost), or a call below it had none, so those calls' tokens count at the
    /// task's <c>unpriced_usd_per_million</c>. In words for the user.
    /// </summary>
    public string? SpendCapWarning { get; init; }
    /// <summary>Set when the model's server dropped the start of one of the task's prompts (see <see cref="PromptTruncation"/>): what to change.</summary>
    public string? ContextWarning { get; init; }
    public required int Turns { get; init; }
    public required int MaxTurns { get; init; }
    public required int ChildCount { get; init; }
    /// <summary>The tool call waiting for the user's answer, when status is waiting-approval.</summary>
    public PendingApproval? PendingApproval { get; init; }
    public string? Result { get; init; }
    /// <summary>The sandbox policy its commands run under (its own narrowed by its ancestors'), in words: "Read-only (home hidden, no network)".</summary>
    public string? SandboxPolicy { get; init; }
    /// <summary>What the sandbox denied its calls, each once, in the order first met; null when nothing was.</summary>
    public IReadOnlyList<SandboxDenialInfo>? SandboxDenials { get; init; }
    /// <summary>Set while the task works in its own git worktree: that folder.</summary>
    public string? Worktree { get; init; }
    /// <summary>Where it runs: local (this machine, the default) or container (on a Docker engine).</summary>
    public string Runs { get; init; } = "local";
    /// <summary>Set when it runs in a container: the engine, image, container and limits.</summary>
    public TaskContainerInfo? Container { get; init; }
    /// <summary>Files a finished task changed in its worktree, waiting to be reviewed, applied or discarded (<c>task/changes</c>).</summary>
    public IReadOnlyList<CheckpointFile>? Changes { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Time spent running, summed over runs (a resumed task adds to it).</summary>
    public required long ElapsedMs { get; init; }
    /// <summary>Set when the task's record or transcript cannot be read: why. Listed with its id, never dropped.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Unreadable { get; init; }
}
