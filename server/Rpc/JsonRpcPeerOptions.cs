namespace Plue.Rpc;

public sealed record JsonRpcPeerOptions
{
    /// <summary>A larger announced body closes the connection without allocating it.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Enforce the LSP lifecycle (off for peers that are plain JSON-RPC, such as tests' clients).</summary>
    public bool RequireInitialize { get; init; } = true;
}
