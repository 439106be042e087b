using System.Text;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace Plue.Cli;

/// <summary>
/// Writes an answer as it streams. Piped: every delta as it comes, untouched. On a terminal: line by line, as
/// markdown — headings bold, fenced code in a colour, <c>`code`</c> and <c>**bold**</c> marked — since a line is
/// styled only once it is whole. Reasoning goes to a terminal only, dimmed.
/// </summary>
internal sealed partial class CliAnswer(CliTerminal terminal)
{
    private readonly StringBuilder _line = new();
    private bool _inFence;
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
        foreach (var c in delta)
        {
            if (c != '\n')
            {
                _line.Append(c);
                continue;
            }
            WriteLine(_line.ToString());
            _line.Clear();
        }
    }

    public void Reasoning(string delta)
    {
        if (!terminal.Colours) return;
        if (!_reasoning) terminal.Ansi.Markup("[grey]thinking: [/]");
        _reasoning = true;
        terminal.Ansi.Markup($"[grey italic]{Markup.Escape(delta)}[/]");
    }

    /// <summary>The rest of the last line, and a final newline so the shell prompt starts on its own line.</summary>
    public void Finish(bool endsWithNewline)
    {
        EndReasoning();
        if (_line.Length > 0) WriteLine(_line.ToString());
        else if (!terminal.Colours && !endsWithNewline) terminal.Out.WriteLine();
        _line.Clear();
        terminal.Out.Flush();
    }

    private void EndReasoning()
    {
        if (!_reasoning) return;
        _reasoning = false;
        terminal.Ansi.WriteLine();
    }

    private void WriteLine(string line)
    {
        if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
        {
            _inFence = !_inFence;
            terminal.Ansi.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
        }
        else if (_inFence) terminal.Ansi.MarkupLine($"[cyan]{Markup.Escape(line)}[/]");
        else if (Heading().Match(line) is { Success: true } heading) terminal.Ansi.MarkupLine($"[bold underline]{Markup.Escape(heading.Groups[1].Value)}[/]");
        else terminal.Ansi.MarkupLine(Inline(line));
    }

    /// <summary>`code` and **bold** inside a line; everything else escaped.</summary>
    private static string Inline(string line)
    {
        var escaped = Markup.Escape(line);
        escaped = CodeSpan().Replace(escaped, m => $"[cyan]{m.Groups[1].Value}[/]");
        return BoldSpan().Replace(escaped, m => $"[bold]{m.Groups[1].Value}[/]");
    }

    [GeneratedRegex(@"^#{1,6}\s+(.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex BoldSpan();
}
