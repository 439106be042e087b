using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Plue.Sandbox;

/// <summary>
/// The proxy (under an allow-list) and the sandbox's watch of each agent the sidecar hosts (the claude CLI, an ACP
/// agent), one per conversation (its chat or task), so what it refuses is told where it belongs: the hosts and paths
/// refused while one of the agent's tool calls ran come with that call's result (<see cref="DenialsKey"/>), shown on its
/// card with "Allow this once" (a host: the agent's proxy lets it through from then on, until the agent restarts; a
/// path: the agent restarts at its next message with it writable, <see cref="Widened"/>) and "Always for this
/// workspace" (a grant, as for a bash call's denial). Children under the same allow-list no longer share a proxy
/// with an agent: a shared proxy's refusals could not be told to anyone. One host's (<see cref="SandboxContext.Proxies"/>):
/// its proxies end with it, and another host in the same process has its own.
/// </summary>
public sealed class AgentProxies : IDisposable
{
    /// <summary>On a tool result of a hosted agent: what its sandbox refused meanwhile (a list of <see cref="SandboxDenial"/>).</summary>
    public const string DenialsKey = "plue.sandboxDenials";

    /// <summary>On the last update of a hosted agent's turn: what its sandbox refused outside any of its tool calls.</summary>
    public const string OutsideCallsKey = "plue.sandboxDenialsOutsideCalls";

    private readonly ConcurrentDictionary<string, SandboxProxy> _byOwner = new(StringComparer.Ordinal);

    /// <summary>
    /// Claude Code's vendor, which the CLI (and an ACP adapter wrapping it) reaches for at each start whatever it is
    /// asked, even with its base URL elsewhere (measured with the CLI 2.1.197: api.anthropic.com:443 at every turn):
    /// refused then, it is no call's and no card's.
    /// </summary>
    public static readonly IReadOnlyList<string> ClaudeCodeStartTraffic = ["api.anthropic.com", "*.anthropic.com"];

    /// <summary>Per owner, what was refused while none of its agent's tool calls ran (before the first, between turns), not yet told.</summary>
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SandboxDenial>> _outsideCalls = new(StringComparer.Ordinal);

    /// <summary>The watch of each owner's running agent, and how many of its events were told.</summary>
    private readonly ConcurrentDictionary<string, AgentWatch> _watches = new(StringComparer.Ordinal);

    /// <param name="writable">The places it may write (real paths): a folder missing there is one it is making (a
    /// recursive mkdir tries the deepest first), not one the sandbox hides, whatever the host shows by the time it is read.</param>
    private sealed class AgentWatch(SandboxWatch watch, IReadOnlyList<string> writable)
    {
        private readonly Lock _gate = new();
        private int _told;

        public SandboxWatch Watch => watch;

        /// <summary>The paths refused since the last call (each told once).</summary>
        public IReadOnlyList<SandboxDenial> TakeNew()
        {
            lock (_gate)
            {
                var events = watch.EventsSince(_told);
                _told += events.Count;
                var refused = events.Where(e => e.Kind != SandboxEvent.Missing || !writable.Any(w => e.Path == w || e.Path.StartsWith(w.TrimEnd('/') + "/", StringComparison.Ordinal)));
                return SandboxDenials.Find(new SandboxReport(true, null, [.. refused]), []);
            }
        }
    }

    /// <summary>Per owner, the paths "Allow this once" opened for its agent: it restarts with them writable (<see cref="Widened"/>).</summary>
    private readonly ConcurrentDictionary<string, (IReadOnlyList<SandboxDenial> Allowed, SandboxPolicy? Base, SandboxPolicy? Widened)> _allowedPaths = new(StringComparer.Ordinal);

    /// <summary>The proxy of the agent of <paramref name="owner"/> (a chat's or task's id) under <paramref name="policy"/>; null when it has none (not an allow-list, not <paramref name="confined"/>: the launcher cannot enforce it here, no owner).</summary>
    public SandboxProxy? Open(string? owner, SandboxPolicy policy, bool confined)
    {
        if (owner is null || policy.Network != SandboxNetwork.AllowList || !confined) return null;
        var proxy = SandboxProxy.Start(policy.AllowedHosts);
        if (_byOwner.TryRemove(owner, out var old)) old.Dispose();
        _byOwner[owner] = proxy;
        return proxy;
    }

    /// <summary>
    /// The sandbox's watch of the agent of <paramref name="owner"/> (what it and every program it starts are refused, the
    /// planted places that did not exist when it started among them: <see cref="Processes.ChildCommand.LongLived"/>);
    /// null when it is not <paramref name="confined"/>, has no owner, or this machine's sandboxes cannot be watched.
    /// </summary>
    public SandboxWatch? Watch(string? owner, SandboxPolicy policy, SandboxPlaces places, bool confined)
    {
        if (owner is null || !confined || Bubblewrap.Executable is null || !SandboxWatch.Available) return null;
        IReadOnlyList<string> writable = policy.Files != SandboxFiles.WorkspaceWrite ? []
            : [.. places.Roots.Concat(places.Writable).Concat(policy.WritablePaths).Where(p => p.Length > 0).Select(p => Bubblewrap.Full(p) ?? p)];
        var watch = new SandboxWatch();
        if (_watches.TryRemove(owner, out var old))
        {
            KeepOutsideCalls(owner, old.TakeNew());
            old.Watch.Dispose();
        }
        _watches[owner] = new AgentWatch(watch, writable);
        return watch;
    }

    /// <summary>The agent's process has ended: its proxy and watch go (a newer one of the same owner stays).</summary>
    public void Close(string? owner, SandboxProxy? proxy, SandboxWatch? watch = null)
    {
        if (owner is null) return;
        if (watch is not null && _watches.TryGetValue(owner, out var watched) && watched.Watch == watch
            && _watches.TryRemove(new KeyValuePair<string, AgentWatch>(owner, watched)))
        {
            KeepOutsideCalls(owner, watched.TakeNew());
            watch.Dispose();
        }
        if (proxy is null) return;
        _byOwner.TryRemove(new KeyValuePair<string, SandboxProxy>(owner, proxy));
        // What it was refused since it was last told is kept for its owner's next turn.
        KeepOutsideCalls(owner, Hosts(proxy.TakeNewDenials()));
        proxy.Dispose();
    }

    private static IReadOnlyList<SandboxDenial> Hosts(IReadOnlyList<string> hosts) => [.. hosts.Select(h => new SandboxDenial(SandboxDenial.Host, h))];

    /// <summary>What the agent of <paramref name="owner"/> was refused since it was last told: paths, then hosts.</summary>
    private List<SandboxDenial> TakeNew(string owner)
    {
        var denials = new List<SandboxDenial>();
        if (_watches.TryGetValue(owner, out var watch)) denials.AddRange(watch.TakeNew());
        if (_byOwner.TryGetValue(owner, out var proxy)) denials.AddRange(Hosts(proxy.TakeNewDenials()));
        return denials;
    }

    /// <summary>
    /// "Allow this once" on paths its agent was refused: the agent of <paramref name="owner"/> restarts at its next
    /// message with them writable (a running sandbox cannot be widened), until Plue restarts.
    /// </summary>
    public void AllowPaths(string owner, IEnumerable<SandboxDenial> paths)
    {
        var added = paths.Where(d => d.Kind == SandboxDenial.Path).ToList();
        if (added.Count == 0) return;
        _allowedPaths.AddOrUpdate(owner, (added, null, null), (_, before) => ([.. before.Allowed, .. added], null, null));
    }

    /// <summary>
    /// <paramref name="policy"/> with what the user allowed once for the agent of <paramref name="owner"/> (<see cref="AllowPaths"/>):
    /// the same object while nothing more is allowed, so an agent restarted for a changed policy is not restarted again.
    /// </summary>
    public SandboxPolicy? Widened(string owner, SandboxPolicy? policy)
    {
        if (policy is null || !_allowedPaths.TryGetValue(owner, out var allowed)) return policy;
        if (ReferenceEquals(allowed.Base, policy) && allowed.Widened is { } same) return same;
        var widened = policy.Allowing(allowed.Allowed);
        _allowedPaths[owner] = (allowed.Allowed, policy, widened);
        return widened;
    }

    /// <summary>Lets <paramref name="hosts"/> through the live agent's proxy of <paramref name="owner"/>; false when it has none (the agent has ended).</summary>
    public bool Allow(string owner, IEnumerable<string> hosts)
    {
        if (!_byOwner.TryGetValue(owner, out var proxy)) return false;
        foreach (var host in hosts) proxy.Allow(host);
        return true;
    }

    /// <summary>
    /// Puts what the agent of <paramref name="owner"/> was refused since its tool call began (the paths its watch saw,
    /// the hosts its proxy refused) on the call's result in <paramref name="update"/>. What it was refused before a
    /// call began is no call's: it is kept for the end of the turn (<see cref="OutsideCalls"/>).
    /// </summary>
    public void Tell(string owner, ChatResponseUpdate update)
    {
        if (!_byOwner.ContainsKey(owner) && !_watches.ContainsKey(owner)) return;
        if (update.Contents.OfType<FunctionCallContent>().Any()) KeepOutsideCalls(owner, TakeNew(owner));
        foreach (var result in update.Contents.OfType<FunctionResultContent>())
        {
            var denials = TakeNew(owner);
            if (denials.Count == 0) return;
            result.AdditionalProperties ??= [];
            result.AdditionalProperties[DenialsKey] = (IReadOnlyList<SandboxDenial>)denials;
        }
    }

    private void KeepOutsideCalls(string owner, IReadOnlyList<SandboxDenial> denials)
    {
        if (denials.Count == 0) return;
        var kept = _outsideCalls.GetOrAdd(owner, _ => new ConcurrentQueue<SandboxDenial>());
        foreach (var denial in denials) kept.Enqueue(denial);
    }

    /// <summary>
    /// The last update of the agent's turn for <paramref name="owner"/>, when its sandbox refused it hosts or planted
    /// places outside any of its tool calls (its own traffic before the first, what it did between calls or turns, an
    /// MCP server it started connecting in the background): the turn's answer shows them as a denial card of its own.
    /// Null when there were none.
    /// </summary>
    /// <param name="ownTraffic">Hosts (<c>host</c>, <c>*.domain</c>) the agent reaches for itself whatever it is asked (the CLI
    /// reaches for its vendor's API at each start, even with its base URL elsewhere): not shown.</param>
    public ChatResponseUpdate? OutsideCalls(string owner, IReadOnlyList<string>? ownTraffic = null)
    {
        var denials = new List<SandboxDenial>();
        if (_outsideCalls.TryRemove(owner, out var kept)) denials.AddRange(kept);
        denials.AddRange(TakeNew(owner));
        // Outside its calls only a planted place is told of the paths: the agent's own housekeeping refused in the
        // read-only home (an npm cache, a log), at every start, is no step of the user's and would be a card each turn.
        denials.RemoveAll(d => d.Kind == SandboxDenial.Path && SandboxPlaces.PlantedPlace(d.What) is null);
        denials.RemoveAll(d => d.Kind == SandboxDenial.Host && ownTraffic is not null && d.What.LastIndexOf(':') is var colon and > 0
            && int.TryParse(d.What.AsSpan(colon + 1), out var port) && SandboxProxy.Allows(ownTraffic, d.What[..colon], port));
        if (denials.Count == 0) return null;
        return new ChatResponseUpdate { AdditionalProperties = new() { [OutsideCallsKey] = (IReadOnlyList<SandboxDenial>)[.. denials.Distinct()] } };
    }

    /// <summary>What <see cref="OutsideCalls"/> put on <paramref name="update"/>.</summary>
    public static IReadOnlyList<SandboxDenial> ToldOutsideCalls(ChatResponseUpdate update) =>
        update.AdditionalProperties?.TryGetValue(OutsideCallsKey, out var denials) == true && denials is IReadOnlyList<SandboxDenial> list ? list : [];

    /// <summary>What <see cref="Tell"/> put on <paramref name="result"/>.</summary>
    public static IReadOnlyList<SandboxDenial> Told(FunctionResultContent result) =>
        result.AdditionalProperties?.TryGetValue(DenialsKey, out var denials) == true && denials is IReadOnlyList<SandboxDenial> list ? list : [];

    /// <summary>The host has ended: every proxy and watch it still holds goes.</summary>
    public void Dispose()
    {
        foreach (var owner in _byOwner.Keys)
            if (_byOwner.TryRemove(owner, out var proxy)) proxy.Dispose();
        foreach (var owner in _watches.Keys)
            if (_watches.TryRemove(owner, out var watch)) watch.Watch.Dispose();
    }
}
