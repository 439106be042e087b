namespace Plue.Sessions;

/// <summary>What a chat's mode grants a turn: its tools, those that run without asking, and what it adds to the prompt.</summary>
public sealed record ModeSettings
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public string? Icon { get; init; }
    public required IReadOnlyList<string> Tools { get; init; }
    public required IReadOnlyList<string> AutoApprove { get; init; }
    public IReadOnlyList<string> McpTools { get; init; } = [];
    public string? SystemPrompt { get; init; }
    /// <summary>Set with <see cref="ModelId"/> when the mode moves a chat to its own provider and model.</summary>
    public string? InstanceRef { get; init; }
    public string? ModelId { get; init; }
    /// <summary>An agent file's model: a turn's model when the chat's instance offers it (else the chat's, and the turn says so).</summary>
    public string? PreferredModel { get; init; }
    /// <summary>A plan mode (<c>mode-plan</c> or derived from it): its turns only read, and its answer's checklist is kept as the chat's plan.</summary>
    public bool Plans { get; init; }
    /// <summary>The agent file a mode comes from; null for Plue's own modes.</summary>
    public string? Source { get; init; }
    /// <summary>The sandbox policy the chat's commands run under (docs/SANDBOX.md); null: the workspace's.</summary>
    public string? SandboxPolicy { get; init; }
}
