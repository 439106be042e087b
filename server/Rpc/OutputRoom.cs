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

    /// <summary>For the process's standard output: the sidecar's own peer.</summary>
    public static bool OnStandardOutput(int bytes) => For(StandardOutput, bytes);

    public static bool For(int fd, int bytes)
    {
        if (!OperatingSystem.IsLinux() || bytes > Page) return false;
        var poll = new PollFd { Fd = fd, Events = Writable };
        return Poll(ref poll, 1, 0) == 1 && (poll.Returned & Writable) != 0;
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
