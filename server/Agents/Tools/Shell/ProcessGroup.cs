using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Plue.Agents.Tools.Shell;

/// <summary>
/// Starts a command as the leader of its own process group (through <c>setsid</c>) so that every process it starts,
/// even one its shell left behind, can be killed at once: killing the tree finds only processes whose parent is
/// still alive.
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>The shell every command of the bash tool and every agent hook runs in.</summary>
    public const string Shell = "/bin/bash";

    /// <summary>util-linux's setsid, or null (macOS has none: only the tree is killed there).</summary>
    public static string? Setsid { get; } = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>
    /// The start of <c>/bin/bash -c <paramref name="command"/></c> in <paramref name="folder"/> through the one launcher:
    /// in a group of its own where setsid is found, its environment built on purpose, confined by <paramref name="policy"/>
    /// to <paramref name="folders"/> (the bash tool's commands and the agent hooks alike), <paramref name="readable"/> shown read-only,
    /// <paramref name="plueHome"/> (the host's; null: the one PLUE_HOME or ~/.plue names) hidden.
    /// </summary>
    public static ProcessStartInfo ShellStart(string command, string folder, IEnumerable<string> folders, IReadOnlyDictionary<string, string?> environment,
        Sandbox.SandboxPolicy policy, Sandbox.SandboxProxy? proxy, IReadOnlyList<string>? readable = null, Sandbox.SandboxWatch? watch = null,
        Sandbox.SandboxBridge.Command? bridge = null, string? plueHome = null) =>
        Processes.ChildLauncher.StartInfo(new Processes.ChildCommand
        {
            Program = Shell,
            Arguments = ["-c", command],
            WorkingDirectory = folder,
            Environment = env => Processes.ChildEnvironment.Apply(env, environment),
            Policy = policy,
            Places = Sandbox.SandboxPlaces.For(folders.Select(f => Codex.Content.ConfinedPath.RealPath(f) ?? f), plueHome) with { ReadOnly = readable ?? [] },
            Setsid = Setsid,
            Proxy = proxy,
            Watch = watch,
            Bridge = bridge,
        });

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
        if (isGroupLeader && !OperatingSystem.IsWindows()) _ = SendSignal(-pid, SigKill);
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>Whether no process is left in the group <paramref name="group"/> (signal 0 finds none).</summary>
    public static bool HasEnded(int group) => OperatingSystem.IsWindows() || SendSignal(-group, 0) != 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
