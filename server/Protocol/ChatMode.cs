namespace Plue.Protocol;

/// <summary>
/// A mode a chat can be in (<c>session/modes</c>): a template derived from <c>chat-mode</c> (<see cref="Id"/> its
/// template id, such as <c>mode-agent</c>) or a record of <c>chat-mode</c> (<see cref="Id"/> its
/// <c>codex://modes/&lt;slug&gt;</c>) or a used agent file (<see cref="Id"/> <c>agent:&lt;name&gt;</c>, its body the
/// mode's instructions). What it grants is its fields, a user's record of its template winning.
/// </summary>
public sealed record ChatMode
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    /// <summary>A codicon name or an emoji, as the template's <c>metadata.icon</c> says; null when it has none.</summary>
    public string? Icon { get; init; }
    /// <summary>The tools a chat in the mode may use (read, search, write, edit, bash).</summary>
    public required IReadOnlyList<string> Tools { get; init; }
    /// <summary>Those of <see cref="Tools"/> that run without asking (write, edit, bash); reads never ask.</summary>
    public required IReadOnlyList<string> AutoApprove { get; init; }
    /// <summary>True for a plan mode (<c>mode-plan</c> or a template deriving from it): it only reads, and its answer's checklist becomes the chat's plan, with a Start button.</summary>
    public bool? Plans { get; init; }
    /// <summary>The sandbox policy a chat's commands run under in this mode, in words ("Workspace write (home hidden, no network)").</summary>
    public string? SandboxPolicy { get; init; }
}
