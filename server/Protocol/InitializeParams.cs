using System.Text.Json;

namespace Plue.Protocol;

/// <summary>LSP <c>initialize</c> params; only the members the sidecar uses are typed.</summary>
public sealed record InitializeParams
{
    /// <summary>The client's pid: the sidecar exits when that process dies.</summary>
    public int? ProcessId { get; init; }
    public ClientInfo? ClientInfo { get; init; }
    public InitializationOptions? InitializationOptions { get; init; }
    /// <summary>Kept so LSP clients' extra members never fail binding.</summary>
    public JsonElement? Capabilities { get; init; }
}

public sealed record ClientInfo
{
    public required string Name { get; init; }
    public string? Version { get; init; }
}

public sealed record InitializationOptions
{
    public string? PlueHome { get; init; }
    /// <summary>The vault's master key (base64); never logged, never echoed.</summary>
    public string? VaultKey { get; init; }
    public IReadOnlyList<string>? WorkspaceFolders { get; init; }
    public bool? Trusted { get; init; }
}
