using System.Web;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Authentication;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Vault;

namespace Plue.Agents.Mcp.OAuth;

/// <summary>
/// OAuth 2.1 for remote MCP servers, as the specification describes it and the SDK carries it out: on a 401 the
/// server's protected resource metadata names its authorization server, whose metadata gives the endpoints; Plue is
/// known by the client ID metadata document the record names where the server accepts one, else registers itself
/// (dynamic client registration); the user signs in in the browser (PKCE, state and issuer checked),
/// the redirect comes back to <see cref="LoopbackRedirect"/>, and the tokens go to the vault
/// (<see cref="McpTokenVault"/>), refreshed when they expire. Only a sign-in the user started opens the browser; a
/// tool call that finds no usable token fails saying how to sign in.
/// </summary>
public sealed partial class McpOAuth(IVault vault, JsonRpcPeer? peer, ILogger<McpOAuth> logger) : IAsyncDisposable
{
    private static readonly TimeSpan s_signInTimeout = TimeSpan.FromMinutes(5);
    private readonly Lazy<LoopbackRedirect> _redirect = new(() => new LoopbackRedirect());

    /// <summary>The OAuth options of one connection to <paramref name="config"/>; <paramref name="interactive"/>: may it open the browser.</summary>
    public ClientOAuthOptions For(McpServerConfig config, bool interactive) => new()
    {
        RedirectUri = _redirect.Value.Uri,
        // A server that accepts client ID metadata documents knows Plue by the one the record names; others register it.
        ClientMetadataDocumentUri = config.ClientMetadataUrl is { Length: > 0 } document ? new Uri(document) : null,
        DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "Plue" },
        TokenCache = new McpTokenVault(vault, config.Slug),
        AuthorizationCallbackHandler = interactive
            ? (context, cancellationToken) => SignInAsync(config, context, cancellationToken)
            : (_, _) => throw SignInNeeded(config),
    };

    /// <summary>Forgets the server's tokens (and its client registration); false when there were none.</summary>
    public bool SignOut(string server) => vault.Delete(McpTokenVault.Reference(server));

    public static McpException SignInNeeded(McpServerConfig config) =>
        new($"The MCP server {config.Title} needs you to sign in (again): run Plue: Test MCP Server on it, and sign in in the browser that opens.");

    private async Task<AuthorizationResult?> SignInAsync(McpServerConfig config, AuthorizationCallbackContext context, CancellationToken cancellationToken)
    {
        if (peer is null) throw new McpException($"The MCP server {config.Title} needs you to sign in, which needs VS Code: run Plue: Test MCP Server there.");
        var state = HttpUtility.ParseQueryString(context.AuthorizationUri.Query)["state"]
            ?? throw new McpException($"The sign-in address of the MCP server {config.Title} has no state parameter.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_signInTimeout);
        // Listen before the browser opens, so a fast redirect is not missed.
        var redirect = _redirect.Value.WaitAsync(state, timeout.Token);
        try
        {
            LogSigningIn(config.Slug, context.AuthorizationUri.GetLeftPart(UriPartial.Authority));
            var opened = await peer.RequestAsync(Contract.McpAuthorize, new McpAuthorizeParams
            {
                Server = config.Slug,
                Title = config.Title,
                Url = context.AuthorizationUri.AbsoluteUri,
                WaitSeconds = (int)s_signInTimeout.TotalSeconds,
            }, timeout.Token).ConfigureAwait(false);
            if (!opened.Opened) throw new McpException($"The sign-in to the MCP server {config.Title} was cancelled: nothing was stored.");
            var answer = await redirect.ConfigureAwait(false);
            if (answer.TryGetValue("error", out var error))
                throw new McpException($"The MCP server {config.Title} refused the sign-in ({(answer.TryGetValue("error_description", out var why) ? why : error)}): sign in again, or check the account you used.");
            LogSignedIn(config.Slug);
            return new AuthorizationResult { Code = answer.GetValueOrDefault("code"), State = answer.GetValueOrDefault("state"), Iss = answer.GetValueOrDefault("iss") };
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new McpException($"The sign-in to the MCP server {config.Title} was not completed within {s_signInTimeout.TotalMinutes:0} minutes: run Plue: Test MCP Server to try again.", e);
        }
        finally
        {
            await timeout.CancelAsync().ConfigureAwait(false);
            try
            {
                await redirect.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Already answered above, or given up with the sign-in.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redirect.IsValueCreated) await _redirect.Value.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server}: signing in at {AuthorizationServer} in the browser")]
    private partial void LogSigningIn(string server, string authorizationServer);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server}: the browser came back from the sign-in")]
    private partial void LogSignedIn(string server);
}
