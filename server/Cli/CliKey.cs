using System.CommandLine;
using System.Text;

namespace Plue.Cli;

/// <summary>
/// An API key, from an environment variable (<c>--key-env NAME</c>), stdin (<c>--key-stdin</c>) or typed without echo
/// on a terminal; never from argv, where every process of the user could read it.
/// </summary>
internal sealed class CliKey
{
    public Option<string?> FromEnvironment { get; } = new("--key-env") { Description = "Read the API key from this environment variable", HelpName = "NAME" };
    public Option<bool> FromStdin { get; } = new("--key-stdin") { Description = "Read the API key from stdin (its first line)" };

    public void AddTo(Command command)
    {
        command.Add(FromEnvironment);
        command.Add(FromStdin);
    }

    /// <summary>The key given, else typed when a terminal can ask (<paramref name="ask"/>), else null.</summary>
    public string? Read(ParseResult parse, CliTerminal terminal, string? ask)
    {
        if (parse.GetValue(FromEnvironment) is { } variable)
        {
            return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value.Trim()
                : throw new CliError($"The environment variable {variable} is empty or not set.", CliError.Usage);
        }
        if (parse.GetValue(FromStdin))
        {
            return terminal.In.ReadLine()?.Trim() is { Length: > 0 } line ? line
                : throw new CliError("No key on stdin: pipe it in, e.g. `pass show openai | plue instances add openai --key-stdin`.", CliError.Usage);
        }
        return ask is not null && terminal.CanAsk ? Typed(terminal, ask) : null;
    }

    /// <summary>Read key by key, echoing nothing, so the key is not on screen or in the scrollback.</summary>
    private static string? Typed(CliTerminal terminal, string prompt)
    {
        terminal.Error.Write(prompt);
        var key = new StringBuilder();
        while (true)
        {
            var k = Console.ReadKey(intercept: true);
            if (k.Key == ConsoleKey.Enter) break;
            if (k.KeyChar == '\u0003') throw new CliError("No key stored.", CliError.Usage);
            if (k.Key == ConsoleKey.Backspace)
            {
                if (key.Length > 0) key.Length--;
            }
            else if (!char.IsControl(k.KeyChar)) key.Append(k.KeyChar);
        }
        terminal.Error.WriteLine();
        return key.Length > 0 ? key.ToString().Trim() : null;
    }
}
