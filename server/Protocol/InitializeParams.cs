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
    /// <summary>
    /// A vault master key the client kept (base64); never logged, never echoed. The home's own key (PLUE_VAULT_KEY, else
    /// $PLUE_HOME/vault.key) comes first: this one opens a vault.bin written with it, and becomes the home's key file
    /// when the home has none, so the command line opens that vault too.
    /// </summary>
    public string? VaultKey { get; init; }
    public IReadOnlyList<string>? WorkspaceFolders { get; init; }
    public bool? Trusted { get; init; }
}
