namespace Plue.Protocol;

public sealed record InitializeResult
{
    public required ServerCapabilities Capabilities { get; init; }
    public required ServerInfo ServerInfo { get; init; }
}

/// <summary>The sidecar is no language server: capabilities list the RPC areas it serves.</summary>
public sealed record ServerCapabilities
{
    public required IReadOnlyList<string> Areas { get; init; }
}

public sealed record ServerInfo
{
    public required string Name { get; init; }
    public required string Version { get; init; }
}
