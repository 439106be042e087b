using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Plue.Sandbox;

/// <summary>
/// How an allow-list child's only way out is the sidecar's proxy. The child gets a network namespace of its own (only
/// loopback, as under <c>none</c>), and its first process is the bridge: <c>plue-sandbox-bridge --sandbox-proxy SOCKET
/// -- program args</c> (the same in C, built beside the sidecar: bridge/plue-sandbox-bridge.c) or, where there is none,
/// <c>plue --sandbox-proxy …</c> (<see cref="Run"/>). That listens on 127.0.0.1 in the sandbox's own loopback, hands the listening socket to the sidecar's proxy
/// over the proxy's Unix socket bound into the sandbox, points the proxy variables at it and becomes the command
/// (execve). The sidecar then accepts the child's connections on that socket from outside: nothing but the proxy leads
/// out, no relay process stays, and the command is the sandbox's process as without a proxy (its exit code, signals).
/// </summary>
public static unsafe partial class SandboxBridge
{
    /// <summary>plue's hidden subcommand that does it, run inside the sandbox only.</summary>
    public const string Flag = "--sandbox-proxy";

    /// <summary>Where the proxy's Unix socket is bound in the sandbox: its private <c>/tmp</c>, a dot-name.</summary>
    public const string SocketInSandbox = "/tmp/.plue-proxy.sock";

    /// <summary>The variables that point a program at the proxy; <c>NO_PROXY</c> is removed, so loopback goes through it too.</summary>
    public static readonly string[] ProxyVariables = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"];

    private static readonly Lazy<Command?> s_found = new(() => FindNativeBridge() ?? FindPlue());

    /// <summary>The command line that starts a bridge, and what the sandbox must show read-only for it (a hidden home may hold it).</summary>
    public readonly record struct Command(IReadOnlyList<string> Line, IReadOnlyList<string> Readable);

    /// <summary>
    /// The bridge children start through (the C one beside the sidecar, else plue itself: this executable, or
    /// <c>dotnet plue.dll</c> where the sidecar runs on the JIT); null where neither is found, and an allow-list child
    /// then has no network at all. A child may name another (its <c>ChildCommand.Bridge</c>).
    /// </summary>
    public static Command? Found => s_found.Value;

    /// <summary>The bridge in C beside the sidecar (Sandbox/bridge/plue-sandbox-bridge.c), where the build made one.</summary>
    public const string NativeBridge = "plue-sandbox-bridge";

    /// <summary><paramref name="bridge"/> when it is the C one: only that one watches a sandbox (<c>--report</c>, <see cref="SandboxWatch"/>).</summary>
    public static Command? Watching(Command? bridge) =>
        bridge is { } found && Path.GetFileName(found.Line[0]) == NativeBridge ? found : null;

    /// <summary>The C bridge's option that hands it a watch's socket, and the one that names a private folder of the sandbox.</summary>
    public const string ReportFlag = "--report";
    public const string PrivateFlag = "--private";
    /// <summary>The C bridge's option that names a planted place missing when the sandbox was made, which it refuses to create.</summary>
    public const string RefuseFlag = "--refuse";

    /// <summary>The C bridge beside the sidecar, first: it starts as a libc program does, where plue adds .NET's start to every call.</summary>
    internal static Command? FindNativeBridge()
    {
        foreach (var folder in new[] { Path.GetDirectoryName(Environment.ProcessPath), AppContext.BaseDirectory })
        {
            // Runnable only: an unpacking that lost its mode would fail every allow-list command; plue's own serves then.
            if (folder is not null && !OperatingSystem.IsWindows() && Path.Combine(folder, NativeBridge) is var bridge && File.Exists(bridge)
                && (File.GetUnixFileMode(bridge) & UnixFileMode.UserExecute) != 0) return new Command([bridge], [bridge]);
        }
        return null;
    }

    /// <summary>plue itself as the bridge (<c>plue --sandbox-proxy</c>), where no C bridge was built.</summary>
    internal static Command? FindPlue()
    {
        var self = Environment.ProcessPath;
        // Native AOT has no plue.dll beside it; every other build has.
        var assembly = Path.Combine(AppContext.BaseDirectory, "plue.dll");
        var managed = File.Exists(assembly);
        // A framework-dependent plue needs the runtime's folder, three above its framework's folder; dotnet is there.
        var runtime = managed ? Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")) : null;
        var dotnet = runtime is null ? null : Path.Combine(runtime, "dotnet");
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "plue")
        {
            // Native AOT: the executable alone. Otherwise (ReadyToRun, an apphost) its folder holds its assemblies.
            if (!managed) return new Command([self], [self]);
            return new Command([self], File.Exists(dotnet) ? [Path.GetDirectoryName(self)!, runtime!] : [Path.GetDirectoryName(self)!]);
        }
        // A host that runs plue.dll (dotnet: the tests, a bench) starts it the same way; Native AOT code linked into
        // another executable has no plue to start.
        return File.Exists(dotnet) ? new Command([dotnet, assembly], [runtime!, Path.GetDirectoryName(assembly)!]) : null;
    }

    /// <summary>
    /// <c>plue --sandbox-proxy SOCKET -- program args</c>, inside the sandbox: listens, hands the listener over, execs.
    /// Returns only when it failed, with the exit code a shell gives (127 not found, 126 not runnable, 125 no proxy).
    /// </summary>
    public static int Run(string[] args)
    {
        if (args.Length < 4 || args[2] != "--") return Fail(125, "usage: plue --sandbox-proxy SOCKET -- program [args]");
        var (port, error) = HandOver(args[1]);
        if (error is not null) return Fail(125, $"the sandbox's proxy cannot be reached ({error}): the command did not run.");
        var proxy = $"http://127.0.0.1:{port}";
        var environment = new List<string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name is "NO_PROXY" or "no_proxy" || ProxyVariables.Contains(name)) continue;
            environment.Add($"{name}={entry.Value}");
        }
        environment.AddRange(ProxyVariables.Select(name => $"{name}={proxy}"));
        var program = args[3];
        var path = program.Contains('/') ? program : Search(program, Environment.GetEnvironmentVariable("PATH"));
        if (path is null) return Fail(127, $"{program}: command not found");
        // What the runtime set for itself must not reach the command: an ignored SIGPIPE would survive execve.
        _ = Native.Signal(Native.SigPipe, 0);
        var empty = stackalloc byte[128];
        _ = Native.SigProcMask(2 /* SIG_SETMASK */, empty, null);
        Exec(path, args[3..], environment);
        var errno = Marshal.GetLastPInvokeError();
        return Fail(errno == 2 ? 127 : 126, $"{program}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>Listens on 127.0.0.1 (a port the kernel picks) and sends that socket to the proxy; the port, or why not.</summary>
    private static (int Port, string? Error) HandOver(string socketPath)
    {
        var listener = Native.Socket(2 /* AF_INET */, 1 /* SOCK_STREAM */ | Native.CloseOnExec, 0);
        if (listener < 0) return (0, Errno("socket"));
        var address = stackalloc byte[16];
        new Span<byte>(address, 16).Clear();
        address[0] = 2; // AF_INET, little-endian
        address[4] = 127; address[7] = 1; // 127.0.0.1, port 0
        var length = 16;
        if (Native.Bind(listener, address, 16) < 0 || Native.Listen(listener, 511) < 0 || Native.GetSockName(listener, address, &length) < 0)
            return (0, Errno("listen"));
        var port = (address[2] << 8) | address[3];
        // Not close-on-exec: the command and what it starts hold it, so the proxy sees the sandbox end when it closes.
        var unix = Native.Socket(1 /* AF_UNIX */, 1, 0);
        if (unix < 0) return (0, Errno("socket"));
        var name = Encoding.UTF8.GetBytes(socketPath);
        if (name.Length > 107) return (0, "its socket's path is too long");
        var unixAddress = stackalloc byte[110];
        new Span<byte>(unixAddress, 110).Clear();
        unixAddress[0] = 1; // AF_UNIX
        name.CopyTo(new Span<byte>(unixAddress + 2, 107));
        if (Native.Connect(unix, unixAddress, 2 + name.Length + 1) < 0) return (0, Errno("connect"));
        // Out of the way of the descriptors scripts reuse (exec 3>…, bash's own from 10 up): one closed ends the proxy.
        // The last of the 64 a process's table starts with: a higher one grows the table, which in a process with
        // threads waits for an RCU grace period (9 ms measured on a loaded machine).
        if (Native.DuplicateFrom(unix, 0 /* F_DUPFD */, 63) is var high and >= 0)
        {
            _ = Native.Close(unix);
            unix = high;
        }
        if (!Send(unix, listener)) return (0, Errno("sendmsg"));
        _ = Native.Close(listener);
        return (port, null);
    }

    private static string Errno(string call) => $"{call}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";

    private static string? Search(string program, string? path) =>
        (path ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program)).FirstOrDefault(candidate => Native.Access(candidate, 1 /* X_OK */) == 0 && !Directory.Exists(candidate));

    private static void Exec(string path, string[] argv, List<string> environment)
    {
        var args = Terminated(argv);
        var env = Terminated([.. environment]);
        var file = Marshal.StringToCoTaskMemUTF8(path);
        _ = Native.Execve((byte*)file, args, env);
    }

    /// <summary>A NULL-terminated array of UTF-8 strings, left allocated: execve replaces the process or it exits.</summary>
    private static byte** Terminated(string[] strings)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(strings.Length + 1), (nuint)sizeof(nint));
        for (var i = 0; i < strings.Length; i++) array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(strings[i]);
        return array;
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"plue: {message}");
        return code;
    }

    /// <summary>Sends <paramref name="descriptor"/> over the Unix socket <paramref name="unix"/> (SCM_RIGHTS, with one byte).</summary>
    private static bool Send(int unix, int descriptor)
    {
        byte data = 1;
        var io = new IoVec { Base = &data, Length = 1 };
        var control = stackalloc byte[ControlSpace];
        new Span<byte>(control, ControlSpace).Clear();
        WriteRights(control, descriptor);
        var message = new MessageHeader { Iov = &io, IovLength = 1, Control = control, ControlLength = ControlSpace };
        return Native.SendMsg(unix, &message, Native.NoSignal) == 1;
    }

    /// <summary>
    /// The descriptor a sandbox sent over <paramref name="unix"/> (close-on-exec in this process), or -1 when none came
    /// (nothing ready yet, something else sent, the peer hung up).
    /// </summary>
    public static int Receive(SafeHandle unix)
    {
        byte data;
        var io = new IoVec { Base = &data, Length = 1 };
        var control = stackalloc byte[ControlSpace];
        new Span<byte>(control, ControlSpace).Clear();
        var message = new MessageHeader { Iov = &io, IovLength = 1, Control = control, ControlLength = ControlSpace };
        var added = false;
        try
        {
            unix.DangerousAddRef(ref added);
            var read = Native.RecvMsg((int)unix.DangerousGetHandle(), &message, Native.CmsgCloseOnExec | Native.DontWait);
            if (read <= 0 || message.ControlLength < (nuint)ControlLength) return -1;
            // cmsghdr: its length (size_t), level and type (int); then the descriptor.
            return BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(control + 8, 4)) == 1 /* SOL_SOCKET */
                && BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(control + 12, 4)) == 1 /* SCM_RIGHTS */
                ? *(int*)(control + 16) : -1;
        }
        finally
        {
            if (added) unix.DangerousRelease();
        }
    }

    private const int ControlLength = 16 + sizeof(int); // CMSG_LEN(sizeof(int)) on 64-bit Linux
    private const int ControlSpace = 24; // CMSG_SPACE(sizeof(int))

    private static void WriteRights(byte* control, int descriptor)
    {
        *(nuint*)control = ControlLength;
        *(int*)(control + 8) = 1; // SOL_SOCKET
        *(int*)(control + 12) = 1; // SCM_RIGHTS
        *(int*)(control + 16) = descriptor;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr of 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    private static partial class Native
    {
        public const int CloseOnExec = 0x80000; // SOCK_CLOEXEC
        public const int NoSignal = 0x4000; // MSG_NOSIGNAL
        public const int DontWait = 0x40; // MSG_DONTWAIT
        public const int CmsgCloseOnExec = 0x40000000; // MSG_CMSG_CLOEXEC
        public const int SigPipe = 13;

        [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
        public static partial int Socket(int domain, int type, int protocol);

        [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
        public static partial int Bind(int socket, byte* address, int length);

        [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
        public static partial int Listen(int socket, int backlog);

        [LibraryImport("libc", EntryPoint = "getsockname", SetLastError = true)]
        public static partial int GetSockName(int socket, byte* address, int* length);

        [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
        public static partial int Connect(int socket, byte* address, int length);

        [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
        public static partial nint SendMsg(int socket, MessageHeader* message, int flags);

        [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
        public static partial nint RecvMsg(int socket, MessageHeader* message, int flags);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        public static partial int Close(int descriptor);

        [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        public static partial int DuplicateFrom(int descriptor, int command, int lowest);

        [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Access(string path, int mode);

        [LibraryImport("libc", EntryPoint = "signal")]
        public static partial nint Signal(int signal, nint handler);

        [LibraryImport("libc", EntryPoint = "sigprocmask")]
        public static partial int SigProcMask(int how, byte* set, byte* old);

        [LibraryImport("libc", EntryPoint = "execve", SetLastError = true)]
        public static partial int Execve(byte* path, byte** argv, byte** envp);
    }
}
