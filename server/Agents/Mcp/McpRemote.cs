using System.Text.RegularExpressions;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using Plue.Codex.References;
using Plue.Vault;

namespace Plue.Agents.Mcp;

/// <summary>
/// How a remote server is reached: its URL over Streamable HTTP, its headers with every <c>vault://</c> reference
/// resolved here, in memory, for this server's requests only, and OAuth when the server asks for it.
/// </summary>
public static partial class McpRemote
{
    /// <param name="oauth">The OAuth options, asked for only when no header carries the authorization already.</param>
    /// <param name="secrets">Gets each value resolved from the vault, to scrub from what the server sends back.</param>
    public static HttpClientTransportOptions Options(McpServerConfig config, IVault vault, Func<ClientOAuthOptions> oauth, McpSecrets? secrets = null)
    {
        if (!Uri.TryCreate(config.Url, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            throw new McpException($"MCP server '{config.Slug}' has no http(s) URL: set its URL, for example https://mcp.example.com/mcp.");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in config.Headers) headers[name] = Resolve(config.Slug, name, value, vault, secrets);
        return new HttpClientTransportOptions
        {
            Name = config.Slug,
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
            OAuth = headers.ContainsKey("Authorization") ? null : oauth(),
            ConnectionTimeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The header's value with each <c>vault://</c> reference in it replaced by its secret.</summary>
    private static string Resolve(string server, string name, string value, IVault vault, McpSecrets? secrets) =>
        VaultReferencePattern().Replace(value, match =>
        {
            if (!VaultReference.TryParse(match.Value, out var reference, out var error)) throw new McpException($"MCP server '{server}', header {name}: {error}.");
            var secret = vault.Resolve(reference.ToString())
                ?? throw new McpException($"MCP server '{server}', header {name}: the vault no longer holds its secret; set the header again in the server's settings.");
            secrets?.Add(secret);
            return secret;
        });

    /// <summary>The <c>vault://</c> references a header's value names.</summary>
    public static IEnumerable<string> References(string header) => VaultReferencePattern().Matches(header).Select(m => m.Value);

    [GeneratedRegex(@"vault://[^\s,;]+")]
    private static partial Regex VaultReferencePattern();
}
