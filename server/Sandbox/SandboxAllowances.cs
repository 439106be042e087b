using System.Collections.Concurrent;

namespace Plue.Sandbox;

/// <summary>
/// What the user let through once for a chat's or task's agent hooks ("Allow this once" on a hook's denial card): the
/// next hooks that run there get their policy widened by it (each denied path writable, each host allowed), then it is
/// gone. Held while this sidecar runs.
/// </summary>
public static class SandboxAllowances
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<SandboxDenial>> s_once = new(StringComparer.Ordinal);

    public static void AllowOnce(string owner, IReadOnlyList<SandboxDenial> denials) =>
        s_once.AddOrUpdate(owner, denials, (_, before) => [.. before, .. denials]);

    /// <summary><paramref name="policy"/> widened by what was allowed once for <paramref name="owner"/>, which is then used up.</summary>
    public static SandboxPolicy Take(string? owner, SandboxPolicy policy) =>
        owner is not null && s_once.TryRemove(owner, out var allowed) ? policy.Allowing(allowed) : policy;
}
