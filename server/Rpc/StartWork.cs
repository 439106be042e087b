using System.Runtime.InteropServices;

namespace Plue.Rpc;

/// <summary>
/// Work of the start that blocks for milliseconds (files, the store, git): run on a thread of its own, never the
/// pool's, whose first threads are what the client's first requests run on (on 2 cores there are 2).
/// </summary>
public static partial class StartWork
{
    /// <summary>The nice value of a thread run <see cref="Run"/> with <c>yielding</c>: below every request's, far from the lowest.</summary>
    internal const int YieldingNice = 10;

    /// <summary>
    /// Runs <paramref name="work"/> on a background thread named <paramref name="name"/>; what it throws goes to
    /// <paramref name="failed"/>, not to the process. A <paramref name="yielding"/> thread runs at a lower priority, so a
    /// request that comes meanwhile has the cores first: for work that only readies what a request may need later, and
    /// starts no process (a child would inherit the priority).
    /// </summary>
    public static void Run(string name, Action work, Action<Exception> failed, bool yielding = false) => new Thread(() =>
    {
        try
        {
            if (yielding) Yield();
            work();
        }
        catch (Exception e)
        {
            failed(e);
        }
    }) { IsBackground = true, Name = name }.Start();

    /// <summary>Lowers the calling thread's priority: on Linux the nice value is the thread's own (who 0 is the caller).</summary>
    private static void Yield()
    {
        // .NET's Thread.Priority does nothing on Linux; elsewhere it is the thread's own.
        if (OperatingSystem.IsLinux()) _ = SetPriority(0, 0, YieldingNice);
        else Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
    }

    /// <summary>The calling thread's nice value (Linux), for tests; -1 is ambiguous there, and never asked for.</summary>
    internal static int CurrentNice() => GetPriority(0, 0);

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int prio);

    [LibraryImport("libc", EntryPoint = "getpriority")]
    private static partial int GetPriority(int which, int who);
}
