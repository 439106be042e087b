namespace Plue.Sandbox;

/// <summary>
/// The sandbox state of one host, injected where a child is started: the workspace's policy, which a child whose chat
/// or task names none runs under. Off until the host confines its children (<see cref="Confine"/>): the sidecar's
/// process and the <c>plue</c> command do; a host inside another program (the tests') does not, so its long-lived
/// children (MCP servers, the claude CLI, ACP agents) stay unconfined. A chat's or task's bash calls and hooks follow
/// their own policy everywhere.
/// </summary>
public sealed class SandboxContext
{
    private Func<SandboxPolicy> _workspacePolicy = () => SandboxPolicy.Off;

    /// <summary>The policy children get when their chat or task names none.</summary>
    public SandboxPolicy Workspace => _workspacePolicy();

    /// <summary><paramref name="policy"/>, or the workspace's where it names none.</summary>
    public SandboxPolicy Or(SandboxPolicy? policy) => policy ?? Workspace;

    /// <summary>From now on children without a policy of their own run under <paramref name="workspacePolicy"/> (read each time: the user may change it).</summary>
    public void Confine(Func<SandboxPolicy> workspacePolicy) => _workspacePolicy = workspacePolicy;
}
