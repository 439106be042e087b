using System.Runtime.InteropServices;

namespace Plue.Rpc;

/// <summary>
/// Whether a frame can be written to a file descriptor at once, without waiting for its reader: on Linux, when
/// <c>poll</c> says it is writable and the frame fits in the room that leaves. For a frame of a page at most, writable is
/// enough (a pipe has a free page; a Unix socket, as Node's child processes use, has used under a quarter of its send
/// buffer). A larger frame (a page of records) is written by its sender too when it surely fits: into an empty pipe
/// of at least its size, or a Unix stream socket when it is at most a quarter of the send buffer (so its sender never
/// waits on a slow client, as the loop may). Elsewhere it never says so, and every frame goes through the writer's loop.
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
        if (!OperatingSystem.IsLinux()) return false;
        var poll = new PollFd { Fd = fd, Events = Writable };
        if (Poll(ref poll, 1, 0) != 1 || (poll.Returned & Writable) == 0) return false;
        return bytes <= Page || bytes <= RoomBeyondWritable(fd);
    }

    /// <summary>
    /// How many bytes a writable <paramref name="fd"/> takes in one write without waiting; 0 when it cannot tell. An
    /// empty pipe takes its whole size (with bytes unread, their pages are not known: a page of room is all that is
    /// sure). A Unix stream socket that is writable has used under a quarter of its send buffer, and a write of up to a
    /// quarter more is allocated without waiting for room.
    /// </summary>
    private static int RoomBeyondWritable(int fd)
    {
        var size = Fcntl(fd, GetPipeSize, 0);
        if (size > 0)
        {
            var unread = 0;
            return Ioctl(fd, UnreadBytes, ref unread) == 0 && unread == 0 ? size : 0;
        }
        int domain = 0, type = 0, sendBuffer = 0;
        return SocketOption(fd, SocketDomain, ref domain) && domain == UnixDomain && SocketOption(fd, SocketType, ref type) && type == StreamType
            && SocketOption(fd, SendBuffer, ref sendBuffer) ? sendBuffer / 4 : 0;
    }

    private static bool SocketOption(int fd, int name, ref int value)
    {
        var length = sizeof(int);
        return GetSocketOption(fd, SocketLevel, name, ref value, ref length) == 0;
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

    private const int GetPipeSize = 1032; // F_GETPIPE_SZ
    private const nuint UnreadBytes = 0x541B; // FIONREAD
    private const int SocketLevel = 1; // SOL_SOCKET
    private const int SocketType = 3; // SO_TYPE
    private const int SendBuffer = 7; // SO_SNDBUF
    private const int SocketDomain = 39; // SO_DOMAIN
    private const int UnixDomain = 1; // AF_UNIX
    private const int StreamType = 1; // SOCK_STREAM

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int Ioctl(int fd, nuint request, ref int value);

    [LibraryImport("libc", EntryPoint = "getsockopt")]
    private static partial int GetSocketOption(int fd, int level, int name, ref int value, ref int length);

    [LibraryImport("libc", EntryPoint = "poll")]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMs);
}
