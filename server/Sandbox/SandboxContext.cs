namespace Plue.Sandbox;

/// <summary>
/// The sandbox state of one host, injected where a child is started: the workspace's policy, which a child whose chat
/// or task names none runs under, the Plue home every sandboxed child is kept from, and the proxies of the agents it hosts. Off until the host confines its children (<see cref="Confine"/>): the sidecar's
/// process and the <c>plue</c> command do; a host inside another program (the tests') does not, so its long-lived
/// children (MCP servers, the claude CLI, ACP agents) stay unconfined. A chat's or task's bash calls and hooks follow
/// their own policy everywhere.
/// </summary>
public sealed class SandboxContext : IDisposable
{
    private Func<SandboxPolicy> _workspacePolicy = () => SandboxPolicy.Off;

    /// <summary>The host's Plue home (the vault, plue.db), hidden from every sandboxed child; null until the client says where it is.</summary>
    public string? PlueHome { get; private set; }

    /// <summary>The proxy of each hosted agent under an allow-list, by its chat or task.</summary>
    public AgentProxies Proxies { get; } = new();

    /// <summary>The policy children get when their chat or task names none.</summary>
    public SandboxPolicy Workspace => _workspacePolicy();

    /// <summary><paramref name="policy"/>, or the workspace's where it names none.</summary>
    public SandboxPolicy Or(SandboxPolicy? policy) => policy ?? Workspace;

    /// <summary>From now on children without a policy of their own run under <paramref name="workspacePolicy"/> (read each time: the user may change it).</summary>
    public void Confine(Func<SandboxPolicy> workspacePolicy) => _workspacePolicy = workspacePolicy;

    /// <summary>From now on sandboxed children are kept from <paramref name="plueHome"/>.</summary>
    public void Hide(string plueHome) => PlueHome = plueHome;

    /// <summary>These roots, this host's Plue home hidden.</summary>
    public SandboxPlaces Places(IEnumerable<string> roots) => SandboxPlaces.For(roots, PlueHome);

    public void Dispose() => Proxies.Dispose();
}
