using System.Text;

namespace Plue.Cli;

/// <summary>
/// Writes an answer as it streams. Piped (or NO_COLOR): every delta as it comes, untouched. On a terminal: still as it
/// comes, with markdown styled on the way — a heading bold, a fenced block in a colour, <c>`code`</c> and
/// <c>**bold**</c> marked — deciding each line's look from its first characters. Reasoning goes to a terminal only, dimmed.
/// </summary>
internal sealed class CliAnswer(CliTerminal terminal)
{
    private const string Reset = "\u001b[0m", Bold = "\u001b[1m", Heading = "\u001b[1;4m", Code = "\u001b[36m", Dim = "\u001b[90m";

    private readonly StringBuilder _lineStart = new();
    private bool _deciding = true;
    private bool _inFence;
    private bool _fenceLine;
    private bool _heading;
    private bool _inCode;
    private bool _inBold;
    private bool _star;
    private bool _reasoning;

    public void Text(string delta)
    {
        EndReasoning();
        if (!terminal.Colours)
        {
            terminal.Out.Write(delta);
            terminal.Out.Flush();
            return;
        }
        var output = new StringBuilder();
        foreach (var c in delta) Styled(c, output);
        terminal.Out.Write(output);
        terminal.Out.Flush();
    }

    public void Reasoning(string delta)
    {
        if (!terminal.Colours) return;
        if (!_reasoning) terminal.Out.Write($"{Dim}thinking: ");
        _reasoning = true;
        terminal.Out.Write(delta);
        terminal.Out.Flush();
    }

    /// <summary>What is held of the last line, and a final newline so the shell prompt starts on its own line.</summary>
    public void Finish(bool endsWithNewline)
    {
        EndReasoning();
        if (terminal.Colours)
        {
            var output = new StringBuilder();
            if (_deciding && _lineStart.Length > 0) Decide(output);
            if (_star) output.Append('*');
            terminal.Out.Write(output.Append(Reset));
        }
        if (!endsWithNewline) terminal.Out.WriteLine();
        terminal.Out.Flush();
    }

    private void EndReasoning()
    {
        if (!_reasoning) return;
        _reasoning = false;
        terminal.Out.WriteLine(Reset);
    }

    private void Styled(char c, StringBuilder output)
    {
        if (c == '\n')
        {
            if (_deciding && _lineStart.Length > 0) Decide(output);
            if (_star) output.Append('*');
            if (_fenceLine) _inFence = !_inFence;
            output.Append(Reset).Append('\n');
            _deciding = true;
            _fenceLine = _heading = _inCode = _inBold = _star = false;
            return;
        }
        if (_deciding)
        {
            // A line's first characters say what it is: ``` a fence, # a heading; up to three are held to tell.
            _lineStart.Append(c);
            var held = _lineStart.ToString().TrimStart();
            if (held.Length == 0 || (held.Length < 3 && (held[0] == '`' || held[0] == '#') && held.All(h => h == held[0]))) return;
            Decide(output);
            return;
        }
        Inline(c, output);
    }

    private void Decide(StringBuilder output)
    {
        var held = _lineStart.ToString();
        _lineStart.Clear();
        _deciding = false;
        if (held.TrimStart().StartsWith("```", StringComparison.Ordinal))
        {
            _fenceLine = true;
            output.Append(Dim).Append(held);
        }
        else if (_inFence) output.Append(Code).Append(held);
        else if (held.TrimStart().StartsWith('#'))
        {
            _heading = true;
            output.Append(Heading).Append(held);
        }
        else foreach (var c in held) Inline(c, output);
    }

    /// <summary>Inside a line: fences and headings keep their look; elsewhere ` and ** switch code and bold.</summary>
    private void Inline(char c, StringBuilder output)
    {
        if (_fenceLine || _inFence || _heading)
        {
            output.Append(c);
            return;
        }
        if (c == '*')
        {
            if (_star)
            {
                _star = false;
                _inBold = !_inBold;
                output.Append(_inBold ? Bold : Reset + (_inCode ? Code : ""));
                return;
            }
            _star = true;
            return;
        }
        if (_star)
        {
            output.Append('*');
            _star = false;
        }
        if (c == '`')
        {
            _inCode = !_inCode;
            output.Append(_inCode ? Code : Reset + (_inBold ? Bold : ""));
            return;
        }
        output.Append(c);
    }
}
