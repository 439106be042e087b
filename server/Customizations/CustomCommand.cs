namespace Plue.Customizations;

/// <summary>
/// A used command file (<c>.claude/commands/*.md</c>, <c>.github/prompts/*.prompt.md</c>, opencode's, Codex's): typed
/// as <c>/name args</c>, it sends its body with the arguments put in, and its front matter applies to that turn.
/// </summary>
/// <param name="Body">The text after the front matter, <c>$ARGUMENTS</c> and <c>$1</c>…<c>$9</c> not yet replaced.</param>
/// <param name="Model">Its <c>model</c>: the turn's model when the chat's instance offers it.</param>
/// <param name="Tools">Its <c>allowed-tools</c> or <c>tools</c>, as written; null when it names none (the chat's tools stay).</param>
/// <param name="Mode">Its <c>mode</c> or <c>agent</c>: the turn's mode when it names one.</param>
public sealed record CustomCommand(string Name, string? Description, string Source, string Layout, string Body, string? Model, IReadOnlyList<string>? Tools, string? Mode, string? ArgumentHint);
