namespace Plue.Rpc;

/// <summary>
/// The sidecar completes socket reads on the runtime's socket thread (Sidecar/SocketCompletions), so code after a
/// read runs there until it awaits. Code that may block must not: it holds every connection's reads meanwhile, and a
/// wait for other I/O (a child's pipe, whose async read completes on a socket thread too) can deadlock.
/// </summary>
public static class SocketThread
{
    /// <summary>Continues on the thread pool when called off it (on the socket thread), at once on it.</summary>
    public static YieldOffSocketThread Leave() => new(Thread.CurrentThread.IsThreadPoolThread);

    /// <summary>Awaitable: yields to the pool unless already there (the awaiting method's context flows, as for any await).</summary>
    public readonly struct YieldOffSocketThread(bool onPool) : System.Runtime.CompilerServices.INotifyCompletion
    {
        public YieldOffSocketThread GetAwaiter() => this;

        public bool IsCompleted => onPool;

        public void OnCompleted(Action continuation) => ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);

        public void GetResult()
        {
        }
    }
}
