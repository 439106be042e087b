using System.Runtime.InteropServices;

namespace Plue.Rpc;

/// <summary>
/// Whether a frame can be written to a file descriptor at once, without waiting for its reader: on Linux, when
/// <c>poll</c> says it is writable and the frame is at most a page, the pipe or socket the client reads has room for
/// all of it (a pipe has a free page; a Unix socket, as Node's child processes use, has used under a quarter of its
/// send buffer). Elsewhere it never says so, and every frame goes through the writer's loop.
/// </summary>
public static partial class OutputRoom
{
    private const int StandardOutput = 1;
    private const int Page = 4096;
    private const short Writable = 0x4; // POLLOUT
    private const short Error = 0x8; // POLLERR: the reader closed its end of a pipe
    private const short HungUp = 0x10; // POLLHUP: the other end of a socket closed

    /// <summary>For the process's standard output: the sidecar's own peer.</summary>
    public static bool OnStandardOutput(int bytes) => For(StandardOutput, bytes);

    public static bool For(int fd, int bytes)
    {
        if (!OperatingSystem.IsLinux() || bytes > Page) return false;
        var poll = new PollFd { Fd = fd, Events = Writable };
        return Poll(ref poll, 1, 0) == 1 && (poll.Returned & Writable) != 0;
    }

    /// <summary>
    /// Completes when nobody reads <paramref name="fd"/> any more (its pipe's or socket's other end closed), or when
    /// <paramref name="stop"/> is cancelled; on other systems only then. A write to such an output fails silently (the
    /// console stream drops EPIPE), so a peer would never learn its client went away by writing.
    /// </summary>
    public static Task Closed(int fd, CancellationToken stop)
    {
        if (!OperatingSystem.IsLinux()) return Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        return Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // POLLERR and POLLHUP are told whatever is asked: ask nothing, and wake at most every half second to see the stop.
                var poll = new PollFd { Fd = fd, Events = 0 };
                if (Poll(ref poll, 1, 500) == 1 && (poll.Returned & (Error | HungUp)) != 0) return;
            }
        }, stop, TaskCreationOptions.LongRunning, TaskScheduler.Default).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    [LibraryImport("libc", EntryPoint = "poll")]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMs);
}
