using Spectre.Console;

namespace Plue.Cli;

/// <summary>
/// The live part of the terminal: a frame redrawn in place (the task tree), which a question pauses; after it the
/// frame is drawn again below the answer instead of over it.
/// </summary>
internal sealed class CliScreen(CliTerminal terminal)
{
    private readonly Lock _gate = new();
    private int _frameLines;
    private bool _paused;

    /// <summary>Replaces the last frame with <paramref name="lines"/> (each a line of Spectre markup).</summary>
    public void Draw(IReadOnlyList<string> lines)
    {
        lock (_gate)
        {
            if (_paused) return;
            if (_frameLines > 0) terminal.Out.Write($"\u001b[{_frameLines}F\u001b[J");
            foreach (var line in lines) terminal.Ansi.MarkupLine(line);
            _frameLines = lines.Count;
        }
    }

    public IDisposable Pause()
    {
        lock (_gate)
        {
            _paused = true;
            _frameLines = 0;
        }
        return new Resume(this);
    }

    private sealed class Resume(CliScreen screen) : IDisposable
    {
        public void Dispose()
        {
            lock (screen._gate) screen._paused = false;
        }
    }
}
