using System.Text;

namespace Plue.Cli;

/// <summary>
/// The chat's input line: typing, Backspace, Left/Right, and Up/Down through what was sent before. Ctrl+D on an
/// empty line and Ctrl+C leave (null). Where stdin is not a terminal, lines are read as they come.
/// </summary>
internal sealed class CliLineEditor(CliTerminal terminal)
{
    private readonly List<string> _history = [];

    public string? Read(string prompt)
    {
        terminal.Out.Write(prompt);
        terminal.Out.Flush();
        if (!terminal.CanAsk) return terminal.In.ReadLine();
        var line = new StringBuilder();
        var cursor = 0;
        var back = _history.Count;
        void Redraw()
        {
            terminal.Out.Write($"\r\u001b[K{prompt}{line}");
            if (line.Length > cursor) terminal.Out.Write($"\u001b[{line.Length - cursor}D");
            terminal.Out.Flush();
        }
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            // While a key is read the terminal hands Ctrl+C over as a key (ETX), not a signal: at the prompt it leaves, as Ctrl+D (EOT) does.
            if (key.KeyChar is '\u0003' || key.KeyChar is '\u0004' && line.Length == 0)
            {
                terminal.Out.WriteLine();
                return null;
            }
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    terminal.Out.WriteLine();
                    var text = line.ToString();
                    if (text.Trim().Length > 0 && (_history.Count == 0 || _history[^1] != text)) _history.Add(text);
                    return text;
                case ConsoleKey.Backspace when cursor > 0:
                    line.Remove(--cursor, 1);
                    break;
                case ConsoleKey.LeftArrow when cursor > 0:
                    cursor--;
                    break;
                case ConsoleKey.RightArrow when cursor < line.Length:
                    cursor++;
                    break;
                case ConsoleKey.UpArrow when back > 0:
                case ConsoleKey.DownArrow when back < _history.Count:
                    back += key.Key == ConsoleKey.UpArrow ? -1 : 1;
                    line.Clear().Append(back < _history.Count ? _history[back] : "");
                    cursor = line.Length;
                    break;
                default:
                    if (char.IsControl(key.KeyChar)) continue;
                    line.Insert(cursor++, key.KeyChar);
                    break;
            }
            Redraw();
        }
    }
}
