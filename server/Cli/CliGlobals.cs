using System.CommandLine;
using Plue.Rpc;

namespace Plue.Cli;

/// <summary>
/// The options every command takes (<c>--home</c>, <c>--json</c>) and the one way a command runs: the sidecar started
/// on the chosen home, errors told on stderr in one line with a non-zero exit, the sidecar stopped at the end.
/// </summary>
/// <param name="terminal">Where commands read and write (null: the process's console).</param>
/// <param name="workspace">The workspace folder (null: the current folder).</param>
/// <param name="confinesChildren">The sidecar's children run under the workspace's policy (<see cref="CliSidecar.StartAsync"/>).</param>
internal sealed class CliGlobals(CliTerminal? terminal = null, string? workspace = null, bool confinesChildren = false)
{
    public Option<string?> Home { get; } = new("--home")
    {
        Description = "The Plue home (the store, the vault); default: PLUE_HOME, else ~/.plue",
        HelpName = "dir",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the result as JSON (the shapes of docs/PROTOCOL.md), for scripts",
        Recursive = true,
    };

    public void Add(RootCommand root)
    {
        root.Add(Home);
        root.Add(Json);
    }

    /// <summary>Runs <paramref name="body"/> against a started sidecar; <paramref name="trusted"/> trusts the current folder.</summary>
    /// <param name="oneShot">The command answers and exits (<c>ask</c>): the sidecar starts without what serves a window over its life.</param>
    public void SetAction(Command command, Func<CliRun, Task<int>> body, Func<ParseResult, bool>? trusted = null, bool oneShot = false) =>
        command.SetAction(parse => RunAsync(parse, body, trusted?.Invoke(parse) ?? false, oneShot));

    /// <summary>The terminal a command runs on.</summary>
    public CliTerminal Terminal() => terminal ?? new CliTerminal();

    private async Task<int> RunAsync(ParseResult parse, Func<CliRun, Task<int>> body, bool trusted, bool oneShot)
    {
        var terminal = Terminal();
        using var interrupt = new CliInterrupt();
        try
        {
            var folder = workspace ?? Environment.CurrentDirectory;
            await using var sidecar = await CliSidecar.StartAsync(parse.GetValue(Home), folder, terminal.Error, trusted, oneShot, confinesChildren).ConfigureAwait(false);
            return await body(new CliRun(parse, sidecar, terminal, parse.GetValue(Json), interrupt, folder)).ConfigureAwait(false);
        }
        catch (CliError e)
        {
            await terminal.Error.WriteLineAsync($"plue: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (RpcException e)
        {
            await terminal.Error.WriteLineAsync($"plue: {e.Message}").ConfigureAwait(false);
            return e.Code is ErrorCodes.InvalidParams or Protocol.PlueErrorCodes.NotFound ? CliError.Usage : CliError.Failed;
        }
        catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
        {
            await terminal.Error.WriteLineAsync("plue: stopped").ConfigureAwait(false);
            return 130;
        }
    }
}

/// <summary>One command's run: what was parsed, the sidecar, where to write, Ctrl+C, and the workspace folder.</summary>
internal sealed record CliRun(ParseResult Parse, CliSidecar Sidecar, CliTerminal Terminal, bool Json, CliInterrupt Interrupt, string Workspace)
{
    /// <summary>Ctrl+C.</summary>
    public CancellationToken Cancellation => Interrupt.Token;

    /// <summary>With --json the value in its wire shape, else as <paramref name="human"/> writes it; 0.</summary>
    public int Show<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, Action<T> human)
    {
        if (Json) CliJson.Write(Terminal.Out, value, type);
        else human(value);
        return 0;
    }
}
