namespace Plue.Codex.Json5;

/// <summary>
/// Maps increasing offsets to line/column with one forward scan. LF, CRLF and lone CR end a
/// line (as in the editor); CRLF counts once.
/// </summary>
internal struct Json5LineCounter(string text)
{
    private readonly string _text = text;
    private int _scanned;
    private int _line = 1;
    private int _lineStart;

    public Json5Position Advance(int offset)
    {
        while (true)
        {
            int found = _text.AsSpan(_scanned, offset - _scanned).IndexOfAny('\r', '\n');
            if (found < 0)
                break;
            int at = _scanned + found;
            if (_text[at] == '\r' && at + 1 < _text.Length && _text[at + 1] == '\n')
            {
                if (at + 1 >= offset)
                {
                    // The offset is the LF of a CRLF: it belongs to the CR's line.
                    _scanned = at;
                    return new Json5Position(_line, offset - _lineStart + 1);
                }
                at++;
            }
            _line++;
            _lineStart = at + 1;
            _scanned = at + 1;
        }
        _scanned = offset;
        return new Json5Position(_line, offset - _lineStart + 1);
    }
}
