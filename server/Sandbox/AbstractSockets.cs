using System.Runtime.InteropServices;

namespace Plue.Sandbox;

/// <summary>
/// Abstract Unix sockets (<c>@name</c>: the session bus on many desktops, X11's, editors' and agents' own) belong to a
/// network namespace, not to the file system, so no mount hides them: a child sharing the host's network (a policy with
/// <c>network: open</c>) could connect to every one. Landlock's scope (Linux 6.12 and later) closes them: a thread
/// restricted with <c>LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET</c> and everything it starts can connect to none made outside
/// its domain. The sidecar restricts the thread that starts every sandboxed child (<see cref="Processes.ChildLauncher"/>),
/// never itself; a policy whose <c>sockets</c> names one (<c>@name</c>) is started from another thread, unrestricted.
/// </summary>
public static partial class AbstractSockets
{
    // The same numbers on every Linux architecture (added after the system call tables were unified).
    private const long CreateRuleset = 444;
    private const long RestrictSelf = 446;
    private const uint CreateRulesetVersion = 1;
    private const ulong ScopeAbstractUnixSocket = 1;
    private const int PrSetNoNewPrivs = 38;

    [StructLayout(LayoutKind.Sequential)]
    private struct RulesetAttr
    {
        public ulong HandledAccessFs;
        public ulong HandledAccessNet;
        public ulong Scoped;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, IntPtr first, nuint second, uint third);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long first, uint second);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, ulong second, ulong third, ulong fourth, ulong fifth);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>Why abstract sockets stay reachable under an open network here (old kernel, setuid bwrap); null when they are closed.</summary>
    public static string? Open { get; private set; } = "not checked yet";

    /// <summary>
    /// Restricts the calling thread (and all it starts from now on) from connecting to abstract sockets made outside it;
    /// what <see cref="Open"/> then says. Run once, first thing, on the launcher's own thread.
    /// </summary>
    public static void CloseForThisThread(string? bwrap)
    {
        Open = Restrict(bwrap);
    }

    private static string? Restrict(string? bwrap)
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        // A setuid bwrap (where unprivileged user namespaces are off) would lose its privilege under no_new_privs.
        if (bwrap is not null && (File.GetUnixFileMode(bwrap) & UnixFileMode.SetUser) != 0) return "bwrap is setuid here";
        try
        {
            var abi = Syscall(CreateRuleset, IntPtr.Zero, 0, CreateRulesetVersion);
            if (abi < 6) return "the kernel has no Landlock scope for them (Linux 6.12 and later, with Landlock enabled)";
            var attr = new RulesetAttr { Scoped = ScopeAbstractUnixSocket };
            long fd;
            unsafe
            {
                fd = Syscall(CreateRuleset, (IntPtr)(&attr), (nuint)sizeof(RulesetAttr), 0);
            }
            if (fd < 0) return $"Landlock refused the scope (error {Marshal.GetLastPInvokeError()})";
            try
            {
                // Per thread, as the scope is: the sidecar's other threads keep their own.
                if (Prctl(PrSetNoNewPrivs, 1, 0, 0, 0) != 0) return $"no_new_privs failed (error {Marshal.GetLastPInvokeError()})";
                return Syscall(RestrictSelf, fd, 0) == 0 ? null : $"Landlock refused the scope (error {Marshal.GetLastPInvokeError()})";
            }
            finally
            {
                _ = Close((int)fd);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return e.Message;
        }
    }

    /// <summary>Whether a policy names an abstract socket (<c>@name</c>) in its <c>sockets</c>: its children share them.</summary>
    public static bool Named(SandboxPolicy policy) => policy.Sockets.Any(s => s.StartsWith('@'));

    /// <summary>
    /// bwrap's argument that marks a child sharing the host's abstract sockets (the policy names one, the network is
    /// open): it keeps the network namespace as bwrap would anyway, and tells <see cref="Processes.ChildLauncher"/> to
    /// start it from its unrestricted thread.
    /// </summary>
    public const string SharedFlag = "--share-net";
}
