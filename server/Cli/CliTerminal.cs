using Spectre.Console;

namespace Plue.Cli;

/// <summary>
/// Where a command writes: plain text when its output is piped or NO_COLOR is set, Spectre.Console's colours and
/// tables on a terminal. Spectre is created only when a command draws something, so a piped answer starts sooner.
/// </summary>
internal sealed class CliTerminal
{
    private readonly Lazy<IAnsiConsole> _console;

    public CliTerminal(TextWriter? output = null, TextWriter? error = null)
    {
        Out = output ?? Console.Out;
        Error = error ?? Console.Error;
        Interactive = !Console.IsOutputRedirected && output is null;
        Colours = Interactive && Environment.GetEnvironmentVariable("NO_COLOR") is not { Length: > 0 };
        _console = new(() => AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = Colours ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = Colours ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        }));
    }

    public TextWriter Out { get; }
    public TextWriter Error { get; }

    /// <summary>Output goes to a terminal (not a pipe or a file).</summary>
    public bool Interactive { get; }

    public bool Colours { get; }

    /// <summary>Input can be asked for: stdin is a terminal.</summary>
    public static bool CanAsk => !Console.IsInputRedirected;

    public IAnsiConsole Ansi => _console.Value;

    /// <summary>A line in a colour when colours are on (Spectre markup), else as it is.</summary>
    public void Line(string text, string? style = null)
    {
        if (Colours && style is not null) Ansi.MarkupLine($"[{style}]{Markup.Escape(text)}[/]");
        else Out.WriteLine(text);
    }
}
