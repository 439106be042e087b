using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Plue.Processes;

/// <summary>
/// A child started as the leader of its own process group (through <c>setsid</c>) so that every process it starts, even
/// one left behind when the child itself died, can be killed at once: killing a tree finds only processes whose parent
/// is still alive.
/// </summary>
public static partial class ProcessGroups
{
    private const int SigKill = 9;

    /// <summary>util-linux's setsid, or null (macOS has none: only the tree is killed there).</summary>
    public static string? Setsid { get; } = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>
    /// The file <paramref name="program"/> names, as starting it would find it (a path, else the first on PATH), or
    /// null: a program that is not there is then started without setsid, so that its start fails as such, not as
    /// setsid's exit.
    /// </summary>
    public static string? Find(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal)) return File.Exists(program) ? Path.GetFullPath(program) : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The program to start through setsid, as a group's leader: unconfined only (a sandbox's pid namespace is one
    /// already), where setsid is, and when the program is found; else null (started as it is).
    /// </summary>
    public static string? Leader(string program, bool confined) => confined || Setsid is null ? null : Find(program);

    /// <summary>Kills the group led by <paramref name="process"/> (when started through setsid) and its tree.</summary>
    public static void KillAll(Process process, bool isGroupLeader)
    {
        int pid;
        try
        {
            pid = process.Id;
        }
        catch (InvalidOperationException)
        {
            return;
        }
        if (isGroupLeader) Kill(pid);
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>Kills every process left in the group <paramref name="group"/>.</summary>
    public static void Kill(int group)
    {
        if (!OperatingSystem.IsWindows()) _ = SendSignal(-group, SigKill);
    }

    /// <summary>Whether no process is left in the group <paramref name="group"/> (signal 0 finds none).</summary>
    public static bool HasEnded(int group) => OperatingSystem.IsWindows() || SendSignal(-group, 0) != 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
