namespace Plue.Cli;

/// <summary>Questions asked on the terminal; with no terminal to ask on, the answer is no.</summary>
internal static class CliPrompt
{
    public static bool Confirm(CliTerminal terminal, string question)
    {
        if (!terminal.CanAsk) return false;
        terminal.Error.Write($"{question} [y/N] ");
        return terminal.In.ReadLine()?.Trim().ToLowerInvariant() is "y" or "yes";
    }
}
