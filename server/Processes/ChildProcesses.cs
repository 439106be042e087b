using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Plue.Processes;

/// <summary>
/// Makes every child of the sidecar die with it, even when the sidecar is killed with SIGKILL and runs no code.
/// Linux and macOS: the sidecar leads its own process group, which its children (the claude CLI, MCP servers, rg)
/// and theirs join, and a tiny <c>/bin/sh</c> watchdog reads a pipe only the sidecar holds open: when the kernel
/// closes it (the sidecar died, however), the watchdog kills the group and every group a command was started in of
/// its own (<see cref="Adopt"/>). Where <c>/proc</c> shows environments (Linux), it also kills every process that
/// carries this sidecar's <see cref="Mark"/>, which every child's environment holds (<see cref="ChildEnvironment"/>)
/// and their children inherit: a command the claude CLI's Bash tool started in a session of its own, even orphaned.
/// No polling, and it does not depend on the thread that started a child, as PR_SET_PDEATHSIG would.
/// Windows: the sidecar enters a Job Object that kills its processes when its handle closes.
/// Started once, by the sidecar's process (never by a host inside another program, such as the tests').
/// </summary>
public static partial class ChildProcesses
{
    // Reads "+<pgid>" / "-<pgid>" lines until end of file. Then stops every process whose environment holds the mark
    // ($2), again until no new one appears (a stopped process cannot fork away), and kills them, those groups and the
    // sidecar's ($1, or 0 for none). No "--" before a negative pid: dash's kill takes "-<pgid>" as is and refuses "--".
    private const string WatchdogScript = """
        trap '' INT TERM HUP
        groups=''
        while IFS= read -r line; do
          case "$line" in
            +*) groups="$groups ${line#+}" ;;
            -*) kept=''; for g in $groups; do [ "$g" = "${line#-}" ] || kept="$kept $g"; done; groups=$kept ;;
          esac
        done
        marked=' '
        rounds=0
        while [ -d /proc/self ] && [ "$rounds" -lt 20 ]; do
          rounds=$((rounds + 1))
          new=''
          for file in $(grep -lsxzF -e "$2" /proc/[0-9]*/environ); do
            pid=${file#/proc/}; pid=${pid%/environ}
            case "$marked" in *" $pid "*) ;; *) kill -STOP "$pid" 2>/dev/null; marked="$marked$pid "; new=1 ;; esac
          done
          [ -n "$new" ] || break
        done
        for pid in $marked; do kill -KILL "$pid" 2>/dev/null; done
        for g in $groups; do kill -KILL "-$g" 2>/dev/null; done
        [ "$1" != 0 ] && kill -KILL "-$1" 2>/dev/null
        exit 0
        """;

    /// <summary>The variable every child's environment holds (<c>PLUE_OWNER=&lt;random&gt;</c>), by which the watchdog finds them all.</summary>
    public const string MarkName = "PLUE_OWNER";

    private static readonly Lock s_gate = new();
    private static Process? s_watchdog;

    /// <summary>The Windows Job Object the sidecar and its children run in.</summary>
    public static IntPtr JobHandle { get; private set; }

    /// <summary>This sidecar's <c>PLUE_OWNER</c> value for its children (null until <see cref="Start"/> ties them).</summary>
    public static string? Mark { get; private set; }

    /// <summary>Whether children are tied to this process's life (false before <see cref="Start"/> or where it could not be).</summary>
    public static bool Tied { get; private set; }

    /// <summary>Ties this process's future children to its life; returns why not when it cannot (the sidecar runs on).</summary>
    /// <param name="leadGroup">
    /// Whether it may lead a process group of its own when its input is not a terminal (the sidecar, a job); the command
    /// line stays in its shell's group, so that Ctrl+C in a pipeline still reaches it.
    /// </param>
    public static string? Start(bool leadGroup = true)
    {
        lock (s_gate)
        {
            if (Tied) return null;
            try
            {
                if (OperatingSystem.IsWindows()) return StartJob();
                // A sidecar reading a terminal stays in the terminal's group, so Ctrl-C and job control still reach it.
                var ownGroup = leadGroup && Console.IsInputRedirected && (SetProcessGroup(0, 0) == 0 || GetProcessGroup() == Environment.ProcessId);
                var start = new ProcessStartInfo("/bin/sh")
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                start.Environment.Clear();
                start.Environment["PATH"] = "/usr/bin:/bin";
                var mark = Guid.NewGuid().ToString("N");
                foreach (var arg in new[] { "-c", WatchdogScript, "plue-watchdog", ownGroup ? Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0", $"{MarkName}={mark}" })
                    start.ArgumentList.Add(arg);
                s_watchdog = Process.Start(start);
                if (s_watchdog is null) return "the watchdog (/bin/sh) did not start";
                s_watchdog.StandardInput.AutoFlush = true;
                Mark = mark;
                Tied = true;
                return null;
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or DllNotFoundException or EntryPointNotFoundException)
            {
                return e.Message;
            }
        }
    }

    /// <summary>A child started as the leader of a process group of its own (setsid) is killed with the sidecar too.</summary>
    public static void Adopt(int processGroup) => Tell($"+{processGroup}");

    /// <summary>Once the group has ended: its number may be reused by an unrelated process.</summary>
    public static void Release(int processGroup) => Tell($"-{processGroup}");

    private static void Tell(string line)
    {
        lock (s_gate)
        {
            if (s_watchdog is null) return;
            try
            {
                s_watchdog.StandardInput.WriteLine(line);
            }
            catch (IOException)
            {
                // The watchdog is gone (killed by hand): children are no longer tied, nothing else to do.
            }
        }
    }

    private static string? StartJob()
    {
        var job = CreateJobObject(IntPtr.Zero, null);
        if (job == IntPtr.Zero) return $"CreateJobObject failed ({Marshal.GetLastWin32Error()})";
        var limits = new ExtendedLimitInformation { BasicLimitInformation = new BasicLimitInformation { LimitFlags = KillOnJobClose } };
        if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, ref limits, (uint)Marshal.SizeOf<ExtendedLimitInformation>())
            || !AssignProcessToJobObject(job, Process.GetCurrentProcess().Handle))
            return $"the Job Object could not be set up ({Marshal.GetLastWin32Error()})";
        JobHandle = job; // held until the process ends: closing it is what kills the children
        Tied = true;
        return null;
    }

    private const int JobObjectExtendedLimitInformation = 9;
    private const uint KillOnJobClose = 0x2000;

    [StructLayout(LayoutKind.Sequential)]
    private struct BasicLimitInformation
    {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public uint LimitFlags;
        public UIntPtr MinimumWorkingSetSize;
        public UIntPtr MaximumWorkingSetSize;
        public uint ActiveProcessLimit;
        public UIntPtr Affinity;
        public uint PriorityClass;
        public uint SchedulingClass;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoCounters
    {
        public ulong ReadOperationCount, WriteOperationCount, OtherOperationCount, ReadTransferCount, WriteTransferCount, OtherTransferCount;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ExtendedLimitInformation
    {
        public BasicLimitInformation BasicLimitInformation;
        public IoCounters IoInfo;
        public UIntPtr ProcessMemoryLimit;
        public UIntPtr JobMemoryLimit;
        public UIntPtr PeakProcessMemoryUsed;
        public UIntPtr PeakJobMemoryUsed;
    }

    [DllImport("libc", EntryPoint = "setpgid", SetLastError = true)]
    private static extern int SetProcessGroup(int pid, int pgid);

    [DllImport("libc", EntryPoint = "getpgrp")]
    private static extern int GetProcessGroup();

    [DllImport("kernel32.dll", EntryPoint = "CreateJobObjectW", SetLastError = true, CharSet = CharSet.Unicode)]
    private static extern IntPtr CreateJobObject(IntPtr attributes, string? name);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool SetInformationJobObject(IntPtr job, int infoClass, ref ExtendedLimitInformation info, uint length);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool AssignProcessToJobObject(IntPtr job, IntPtr process);
}
