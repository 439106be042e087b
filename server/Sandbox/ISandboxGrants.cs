namespace Plue.Sandbox;

/// <summary>
/// What "Always for this workspace" allowed from the sandbox's denials: the paths made writable and the hosts made
/// reachable for a workspace of these folders. The grants are the approvals' records (<c>Agents/Tools/Approvals</c>,
/// which uses this folder), so this port lets the policies read them without the arrow going the other way.
/// </summary>
public interface ISandboxGrants
{
    (IReadOnlyList<string> Paths, IReadOnlyList<string> Hosts) For(IReadOnlyList<string> folders);
}
