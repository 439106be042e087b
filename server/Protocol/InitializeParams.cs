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
