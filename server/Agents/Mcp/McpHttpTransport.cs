using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Plue.Outbound;

namespace Plue.Agents.Mcp;

/// <summary>
/// A remote MCP server's transport over the bounded client, which knows when that client cut an answer: the SDK takes
/// a stream that failed for one that ended ("completed without a reply") or names only its own copy step, so the cut's
/// own words (how much, what to do) are what the user is told instead.
/// </summary>
internal sealed class McpHttpTransport(HttpClientTransport inner, BoundedHttpHandler bounded) : IClientTransport, IAsyncDisposable
{
    public string Name => inner.Name;

    public Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default) => inner.ConnectAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>The answer the client cut, if any.</summary>
    public IOException? Cut => bounded.Cut;

    /// <summary>Why a request over <paramref name="transport"/> failed: the answer its client cut, else <paramref name="e"/>.</summary>
    public static Exception Cause(IClientTransport transport, Exception e) =>
        transport is McpHttpTransport { Cut: { } cut } ? cut : e;
}
