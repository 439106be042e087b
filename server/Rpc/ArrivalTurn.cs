namespace Plue.Rpc;

/// <summary>
/// A request's place among its connection's requests whose effect must keep the order they were written in (a message
/// joining a chat's queue): requests are served concurrently, so the handler that reaches that point first is not
/// always the one written first. The reader gives each such request its turn as it reads it; the handler waits for
/// the requests before it to pass (<see cref="WaitAsync"/>), does what must keep the order, then passes
/// (<see cref="Pass"/>). A handler that ends or fails without passing passes when it ends, so none waits for ever.
/// </summary>
public sealed class ArrivalTurn
{
    private readonly Task _before;
    private readonly TaskCompletionSource _passed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ArrivalTurn(Task before)
    {
        _before = before;
        // The next request waits for this one and every one before it: one that passes early never lets the next ahead of those.
        Done = Task.WhenAll(before, _passed.Task);
    }

    /// <summary>Completes once this request and every one before it passed.</summary>
    internal Task Done { get; }

    /// <summary>Waits until every request written before this one has passed its point.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _before.WaitAsync(cancellationToken);

    public void Pass() => _passed.TrySetResult();
}
