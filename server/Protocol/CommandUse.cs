namespace Plue.Protocol;

/// <summary>
/// On a user's <see cref="TextPart"/>: the message was typed as a command from a file (<c>/name args</c>,
/// docs/CUSTOMIZATIONS.md), and its text is the command's body with the arguments put in.
/// </summary>
public sealed record CommandUse
{
    /// <summary>The command's name, without its <c>/</c>.</summary>
    public required string Name { get; init; }
    /// <summary>What followed the name; absent when nothing did.</summary>
    public string? Arguments { get; init; }
    /// <summary>The command file's absolute path.</summary>
    public required string Source { get; init; }
    /// <summary>What the command's front matter changed for this turn (<c>model loop-2</c>, <c>tools read, search</c>, <c>mode Ask</c>), and what it asked for that could not apply, saying why.</summary>
    public IReadOnlyList<string>? Notes { get; init; }
}
