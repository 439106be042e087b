namespace Plue.Rpc;

/// <summary>How messages are delimited on the stream.</summary>
public enum Framing
{
    /// <summary>LSP's base protocol: <c>Content-Length: N\r\n\r\n</c> then the body (the extension's sidecar).</summary>
    Lsp,
    /// <summary>One message per line, as the Agent Client Protocol sends them on stdio (<c>plue acp</c>).</summary>
    NewlineDelimited,
}
