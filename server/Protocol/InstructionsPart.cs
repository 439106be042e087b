namespace Plue.Protocol;

/// <summary>
/// The instructions files a turn's system prompt carried (the user's own such as ~/.claude/CLAUDE.md, AGENTS.md, CLAUDE.md,
/// GEMINI.md, .github/copilot-instructions.md, .clinerules, .plue/rules/*.md, and the scoped ones that applied: docs/CUSTOMIZATIONS.md), shown in the chat beside the user's message, and after a tool call whose file (read or written) brought a scoped one into the turn; the model reads them in its system prompt, not here.
/// </summary>
public sealed record InstructionsPart : MessagePart
{
    /// <summary>Their paths, workspace-folder-relative with '/' (the user's own as <c>~/…</c>).</summary>
    public IReadOnlyList<string>? Files { get; init; }
    /// <summary>Why a file of <see cref="Files"/> was sent, by its path, for the scoped ones (<c>applies to src/app.py</c>, <c>always applies</c>, <c>read by the agent: src/app.py</c>, <c>written by the agent: web/a.html</c>); absent when none is scoped.</summary>
    public IReadOnlyDictionary<string, string>? Reasons { get; init; }
    /// <summary>Files that were there but left out, each saying why ("AGENTS.md was not read: it is larger than 64 KiB").</summary>
    public IReadOnlyList<string>? Skipped { get; init; }
}
