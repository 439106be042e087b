using System.Net;

namespace Plue.Outbound;

/// <summary>
/// The HTTP clients the sidecar makes, each over <see cref="BoundedHttpHandler"/>: answers capped in size and time,
/// and no redirect that would send a body or a credential to another server.
/// </summary>
public static class BoundedHttp
{
    /// <summary>The largest answer read whole (OAuth metadata, a registration, tokens): real ones are a few KiB.</summary>
    public const int MaxAnswerBytes = 1024 * 1024;

    /// <summary>The largest streamed answer of an MCP server (one message's stream).</summary>
    public const long MaxStreamBytes = 64L * 1024 * 1024;

    /// <summary>How long an answer read whole may take, from the request to its last byte.</summary>
    public static readonly TimeSpan AnswerTimeLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A client for one remote MCP server at <paramref name="endpoint"/>: its own answers streamed (counted), every other
    /// answer (the OAuth discovery, registration and token requests the SDK makes) read whole within the limits.
    /// <paramref name="handler"/> tells of an answer it cut (<see cref="BoundedHttpHandler.Cut"/>).
    /// </summary>
    public static HttpClient ForMcpServer(Uri endpoint, IReadOnlyCollection<string> credentialHeaders, out BoundedHttpHandler handler)
    {
        handler = new BoundedHttpHandler(Sockets(), request => IsEndpoint(request.RequestUri, endpoint), credentialHeaders);
        return new HttpClient(handler);
    }

    /// <summary>
    /// The client every provider instance shares: no overall timeout (the instance's first-byte and stall timeouts govern
    /// a stream that may legitimately last minutes, and the readers cap what they hold: StreamLimits), a short connect
    /// timeout so a dead endpoint fails fast, and the redirect rule.
    /// </summary>
    public static HttpClient ForProviders() => new(new BoundedHttpHandler(Sockets(), _ => true, ProviderCredentialHeaders))
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>
    /// The client <c>@url</c> fetches a page with: no credential, redirects followed by the rule, the answer streamed
    /// (counted, at most <see cref="MaxStreamBytes"/>) for its reader to cap in size and time with its own words.
    /// </summary>
    public static HttpClient ForPages() => new(new BoundedHttpHandler(Sockets(), _ => true, []))
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>
    /// The client that asks a container registry whether it holds an image (a manifest's answer, read whole within the
    /// limits): no credential, redirects followed by the rule.
    /// </summary>
    public static HttpClient ForRegistry() => new(new BoundedHttpHandler(Sockets(), _ => true, []))
    {
        Timeout = AnswerTimeLimit,
    };

    /// <summary>The headers providers carry their keys in besides Authorization.</summary>
    private static readonly string[] ProviderCredentialHeaders = ["x-api-key", "api-key", "x-goog-api-key"];

    /// <summary>A body read into memory, never more than <paramref name="cap"/> bytes: past it, <paramref name="tooBig"/> is thrown.</summary>
    public static async Task<MemoryStream> ReadCappedAsync(HttpContent content, long cap, Func<Exception> tooBig, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > cap) throw tooBig();
                buffer.Write(chunk, 0, read);
            }
            return buffer;
        }
    }

    public static string Describe(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes / 1024} KiB";

    private static SocketsHttpHandler Sockets() => new()
    {
        AllowAutoRedirect = false, // followed by BoundedHttpHandler, by its rule
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
    };

    private static bool IsEndpoint(Uri? uri, Uri endpoint) =>
        uri is not null && Uri.Compare(uri, endpoint, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.Ordinal) == 0;
}
