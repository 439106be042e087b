using Spectre.Console;

namespace Plue.Cli;

/// <summary>
/// Where a command reads and writes: plain text when its output is piped or NO_COLOR is set, Spectre.Console's colours
/// and tables on a terminal. Spectre is created only when a command draws something, so a piped answer starts sooner.
/// </summary>
internal sealed class CliTerminal
{
    private readonly Lazy<IAnsiConsole> _console;
    private readonly Func<Stream> _openInput;
    private readonly Func<Stream> _openOutput;

    /// <summary>The process's console.</summary>
    public CliTerminal()
        : this(Console.Out, Console.Error, Console.In, Console.OpenStandardInput, Console.OpenStandardOutput, !Console.IsOutputRedirected, !Console.IsInputRedirected)
    {
        StdoutRoom = Rpc.OutputRoom.OnStandardOutput;
    }

    /// <summary>
    /// Given streams (a command run in-process): plain UTF-8 text, never drawn. <paramref name="canAsk"/>: questions are
    /// asked and their answers read from <paramref name="input"/> a line each, as typed at a terminal; else, as when
    /// piped, none is.
    /// </summary>
    public CliTerminal(Stream output, TextWriter error, Stream input, bool canAsk = false)
        : this(TextWriter.Synchronized(new StreamWriter(output, new System.Text.UTF8Encoding(false)) { AutoFlush = true }), error,
            new StreamReader(input), () => input, () => output, interactive: false, canAsk)
    {
    }

    private CliTerminal(TextWriter output, TextWriter error, TextReader input, Func<Stream> openInput, Func<Stream> openOutput, bool interactive, bool canAsk)
    {
        Out = output;
        Error = error;
        In = input;
        _openInput = openInput;
        _openOutput = openOutput;
        Interactive = interactive;
        CanAsk = canAsk;
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

    /// <summary>Stdin as lines (a key piped in, a chat's lines, an approval's answer).</summary>
    public TextReader In { get; }

    /// <summary>Stdin as bytes (what is piped to <c>plue ask</c>, read up to its cap).</summary>
    public Stream OpenInput() => _openInput();

    /// <summary>Stdout as bytes (<c>plue acp</c>'s messages).</summary>
    public Stream OpenOutput() => _openOutput();

    /// <summary>Whether stdout has room for a message now (<see cref="Rpc.OutputRoom"/>); null for given streams.</summary>
    public Func<int, bool>? StdoutRoom { get; }

    /// <summary>Output goes to a terminal (not a pipe or a file).</summary>
    public bool Interactive { get; }

    public bool Colours { get; }

    /// <summary>Input can be asked for: stdin is a terminal.</summary>
    public bool CanAsk { get; }

    public IAnsiConsole Ansi => _console.Value;

    /// <summary>A line in a colour when colours are on (Spectre markup), else as it is.</summary>
    public void Line(string text, string? style = null)
    {
        if (Colours && style is not null) Ansi.MarkupLine($"[{style}]{Markup.Escape(text)}[/]");
        else Out.WriteLine(text);
    }
}
