namespace Plue.Codex.Json5;

/// <summary>
/// The only exception <see cref="Json5Parser"/> throws for bad input. The message always ends with
/// the 1-based <c>line:column</c> so it can be shown as is; <see cref="Reason"/> is the bare cause
/// for callers that format their own <c>file:line:column: reason</c>.
/// </summary>
public sealed class Json5Exception : Exception
{
    public Json5Exception(string reason, int line, int column, string? detail = null)
        : base(detail is null ? $"{reason} at {line}:{column}" : $"{reason} at {line}:{column} ({detail})")
    {
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>The cause without the position, e.g. <c>invalid character 'x'</c>.</summary>
    public string Reason { get; }

    /// <summary>1-based line of the offending character (or of the construct left open).</summary>
    public int Line { get; }

    /// <summary>1-based column, in UTF-16 code units.</summary>
    public int Column { get; }
}
