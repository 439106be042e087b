namespace Plue.Codex.Json5;

/// <summary>
/// A 1-based line and column in the source text. Columns count UTF-16 code units, which is what
/// VS Code positions use, so a reported <c>file:line:column</c> lands on the right character.
/// Line breaks are LF, CRLF and lone CR (the editor's set; U+2028/U+2029 do not start a line).
/// </summary>
public readonly record struct Json5Position(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
