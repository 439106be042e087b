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

    /// <summary>
    /// Once a key has been read (the chat's prompt), the terminal hands Ctrl+C over as a key rather than a signal; while
    /// something runs, this reads the keys typed and takes Ctrl+C as the signal's first press.
    /// </summary>
    public IDisposable WatchKeys(CliTerminal terminal)
    {
        var done = new CancellationTokenSource();
        if (!terminal.CanAsk) return done;
        var token = _current;
        var reading = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                while (Console.KeyAvailable)
                {
                    var key = Console.ReadKey(intercept: true);
                    if (key.KeyChar == '\u0003') token.Cancel();
                }
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
            }
        }, CancellationToken.None);
        return new Stopper(done, reading);
    }

    /// <summary>Stops reading keys and waits for it, so no key meant for the next prompt is taken.</summary>
    private sealed class Stopper(CancellationTokenSource done, Task reading) : IDisposable
    {
        public void Dispose()
        {
            done.Cancel();
            reading.Wait(TimeSpan.FromSeconds(1));
            done.Dispose();
        }
    }

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
