namespace Plue.Codex.Json5;

/// <summary>Limits applied while parsing JSON5.</summary>
public sealed class Json5Options
{
    /// <summary>Shared defaults, so callers that pass no options allocate nothing.</summary>
    public static Json5Options Default { get; } = new();

    /// <summary>
    /// Maximum nesting of objects and arrays (the root container is depth 1). The parser is
    /// iterative, so this is a guard against hostile input, not against stack overflow.
    /// </summary>
    public int MaxDepth { get; init; } = 256;
}
