namespace Plue.Sidecar;

/// <summary>
/// The thread pool as the start needs it. The host's build and start, the sweeps of what a dead sidecar left and the
/// warm-up block for milliseconds each, beside the client's first requests; the pool starts with one thread per core
/// and adds more only slowly when they all block, so on 2 cores a new chat's <c>session/create</c> waited 10–30 ms for a
/// free thread after it was read. The pool may make up to <see cref="Threads"/> at once instead: a thread more costs
/// its stack, made only when a work item finds every thread busy.
/// </summary>
internal static class StartPool
{
    public const int Threads = 8;

    public static void Widen()
    {
        ThreadPool.GetMinThreads(out var workers, out var completions);
        if (workers < Threads) ThreadPool.SetMinThreads(Threads, completions);
    }
}
