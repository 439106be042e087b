using System.Diagnostics;

namespace Plue.Agents.Tools.Shell;

/// <summary>
/// How the bash tool's commands and the agent hooks start: <c>/bin/bash -c</c>, as the leader of a process group of
/// its own where setsid is found (<see cref="Processes.ProcessGroups"/>).
/// </summary>
internal static class ProcessGroup
{
    /// <summary>The shell every command of the bash tool and every agent hook runs in.</summary>
    public const string Shell = "/bin/bash";

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
            Setsid = Processes.ProcessGroups.Setsid,
            Proxy = proxy,
            Watch = watch,
            Bridge = bridge,
        });
}
