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

    /// <summary>On the last update of a hosted agent's turn: the <c>host:port</c>s its proxy refused outside any of its tool calls.</summary>
    public const string OutsideCallsKey = "plue.sandboxDenialsOutsideCalls";

    private readonly ConcurrentDictionary<string, SandboxProxy> _byOwner = new(StringComparer.Ordinal);

    /// <summary>
    /// Claude Code's vendor, which the CLI (and an ACP adapter wrapping it) reaches for at each start whatever it is
    /// asked, even with its base URL elsewhere (measured with the CLI 2.1.197: api.anthropic.com:443 at every turn):
    /// refused then, it is no call's and no card's.
    /// </summary>
    public static readonly IReadOnlyList<string> ClaudeCodeStartTraffic = ["api.anthropic.com", "*.anthropic.com"];

    /// <summary>Per owner, the hosts refused while none of its agent's tool calls ran (before the first, between turns), not yet told.</summary>
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _outsideCalls = new(StringComparer.Ordinal);

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
        // What it was refused since it was last told is kept for its owner's next turn.
        KeepOutsideCalls(owner, proxy.TakeNewDenials());
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
    /// in <paramref name="update"/>. What it was refused before a call began is no call's: it is kept for the end of
    /// the turn (<see cref="OutsideCalls"/>).
    /// </summary>
    public void Tell(string owner, ChatResponseUpdate update)
    {
        if (!_byOwner.TryGetValue(owner, out var proxy)) return;
        if (update.Contents.OfType<FunctionCallContent>().Any()) KeepOutsideCalls(owner, proxy.TakeNewDenials());
        foreach (var result in update.Contents.OfType<FunctionResultContent>())
        {
            var hosts = proxy.TakeNewDenials();
            if (hosts.Count == 0) return;
            result.AdditionalProperties ??= [];
            result.AdditionalProperties[DenialsKey] = hosts;
        }
    }

    private void KeepOutsideCalls(string owner, IReadOnlyList<string> hosts)
    {
        if (hosts.Count == 0) return;
        var kept = _outsideCalls.GetOrAdd(owner, _ => new ConcurrentQueue<string>());
        foreach (var host in hosts) kept.Enqueue(host);
    }

    /// <summary>
    /// The last update of the agent's turn for <paramref name="owner"/>, when its proxy refused hosts outside any of its
    /// tool calls (its own traffic before the first, what it did between calls or turns, an MCP server it started
    /// connecting in the background): the turn's answer shows them as a denial card of its own. Null when there were none.
    /// </summary>
    /// <param name="ownTraffic">Hosts (<c>host</c>, <c>*.domain</c>) the agent reaches for itself whatever it is asked (the CLI
    /// reaches for its vendor's API at each start, even with its base URL elsewhere): not shown.</param>
    public ChatResponseUpdate? OutsideCalls(string owner, IReadOnlyList<string>? ownTraffic = null)
    {
        var hosts = new List<string>();
        if (_outsideCalls.TryRemove(owner, out var kept)) hosts.AddRange(kept);
        if (_byOwner.TryGetValue(owner, out var proxy)) hosts.AddRange(proxy.TakeNewDenials());
        hosts.RemoveAll(h => ownTraffic is not null && h.LastIndexOf(':') is var colon and > 0 && int.TryParse(h.AsSpan(colon + 1), out var port)
            && SandboxProxy.Allows(ownTraffic, h[..colon], port));
        if (hosts.Count == 0) return null;
        return new ChatResponseUpdate { AdditionalProperties = new() { [OutsideCallsKey] = (IReadOnlyList<string>)[.. hosts.Distinct(StringComparer.Ordinal)] } };
    }

    /// <summary>The hosts <see cref="OutsideCalls"/> put on <paramref name="update"/>.</summary>
    public static IReadOnlyList<string> ToldOutsideCalls(ChatResponseUpdate update) =>
        update.AdditionalProperties?.TryGetValue(OutsideCallsKey, out var hosts) == true && hosts is IReadOnlyList<string> list ? list : [];

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
