namespace Plue.Cli;

/// <summary>
/// Ctrl+C: the first stops what runs now (a turn, a task), which then ends cleanly with what it kept; a second one,
/// or one when nothing runs, leaves at once (exit 130).
/// </summary>
internal sealed class CliInterrupt : IDisposable
{
    private CancellationTokenSource _current = new();

    public CliInterrupt() => Console.CancelKeyPress += OnCancel;

    /// <summary>Cancelled by the next Ctrl+C.</summary>
    public CancellationToken Token => _current.Token;

    /// <summary>A fresh token for the next thing that runs (a chat's next turn).</summary>
    public CancellationToken Renew()
    {
        var previous = Interlocked.Exchange(ref _current, new CancellationTokenSource());
        previous.Dispose();
        return _current.Token;
    }

    /// <summary>Nothing runs (a chat waits at its prompt): Ctrl+C now leaves.</summary>
    public void Idle() => _current.Cancel();

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        if (_current.IsCancellationRequested) return; // e.Cancel stays false: the process ends
        e.Cancel = true;
        _current.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _current.Dispose();
    }
}
