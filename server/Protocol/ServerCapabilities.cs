namespace Plue.Protocol;

/// <summary>The sidecar is no language server: capabilities list the RPC areas it serves.</summary>
public sealed record ServerCapabilities
{
    public required IReadOnlyList<string> Areas { get; init; }
}
