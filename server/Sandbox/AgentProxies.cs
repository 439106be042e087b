using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Plue.Sandbox;

/// <summary>
/// The proxy of each agent the sidecar hosts (the claude CLI, an ACP agent) whose policy is an allow-list, one per
/// conversation (its chat or task), so what it refuses is told where it belongs: the hosts refused while one of the
/// agent's tool calls ran come with that call's result (<see cref="DenialsKey"/>), shown on its card with "Allow this
/// once" (the agent's proxy lets the host through from then on, until the agent restarts) and "Always for this
/// workspace" (a grant, as for a bash call's denial). Children under the same allow-list no longer share a proxy
/// with an agent: a shared proxy's refusals could not be told to anyone. One host's (<see cref="SandboxContext.Proxies"/>):
/// its proxies end with it, and another host in the same process has its own.
/// </summary>
public sealed class AgentProxies : IDisposable
{
    /// <summary>On a tool result of a hosted agent: the <c>host:port</c>s (a list of strings) its proxy refused meanwhile.</summary>
    public const string DenialsKey = "plue.sandboxDenials";

    private readonly ConcurrentDictionary<string, SandboxProxy> _byOwner = new(StringComparer.Ordinal);

    /// <summary>The proxy of the agent of <paramref name="owner"/> (a chat's or task's id) under <paramref name="policy"/>; null when it has none (not an allow-list, not <paramref name="confined"/>: the launcher cannot enforce it here, no owner).</summary>
    public SandboxProxy? Open(string? owner, SandboxPolicy policy, bool confined)
    {
        if (owner is null || policy.Network != SandboxNetwork.AllowList || !confined) return null;
        var proxy = SandboxProxy.Start(policy.AllowedHosts);
        if (_byOwner.TryRemove(owner, out var old)) old.Dispose();
        _byOwner[owner] = proxy;
        return proxy;
    }

    /// <summary>The agent's process has ended: its proxy goes (a newer one of the same owner stays).</summary>
    public void Close(string? owner, SandboxProxy? proxy)
    {
        if (owner is null || proxy is null) return;
        _byOwner.TryRemove(new KeyValuePair<string, SandboxProxy>(owner, proxy));
        proxy.Dispose();
    }

    /// <summary>Lets <paramref name="hosts"/> through the live agent's proxy of <paramref name="owner"/>; false when it has none (the agent has ended).</summary>
    public bool Allow(string owner, IEnumerable<string> hosts)
    {
        if (!_byOwner.TryGetValue(owner, out var proxy)) return false;
        foreach (var host in hosts) proxy.Allow(host);
        return true;
    }

    /// <summary>
    /// Puts the hosts the agent of <paramref name="owner"/> was refused since its tool call began on the call's result
    /// in <paramref name="update"/>. What it was refused before a call began is its own traffic (the CLI reaches for
    /// its vendor's host at start), no call's: it is left out of the cards.
    /// </summary>
    public void Tell(string owner, ChatResponseUpdate update)
    {
        if (!_byOwner.TryGetValue(owner, out var proxy)) return;
        if (update.Contents.OfType<FunctionCallContent>().Any()) proxy.TakeNewDenials();
        foreach (var result in update.Contents.OfType<FunctionResultContent>())
        {
            var hosts = proxy.TakeNewDenials();
            if (hosts.Count == 0) return;
            result.AdditionalProperties ??= [];
            result.AdditionalProperties[DenialsKey] = hosts;
        }
    }

    /// <summary>The hosts <see cref="Tell"/> put on <paramref name="result"/>.</summary>
    public static IReadOnlyList<string> Told(FunctionResultContent result) =>
        result.AdditionalProperties?.TryGetValue(DenialsKey, out var hosts) == true && hosts is IReadOnlyList<string> list ? list : [];

    /// <summary>The host has ended: every proxy it still holds goes.</summary>
    public void Dispose()
    {
        foreach (var owner in _byOwner.Keys)
            if (_byOwner.TryRemove(owner, out var proxy)) proxy.Dispose();
    }
}
