using System.Globalization;
using System.Text.Json.Nodes;
using ModelContextProtocol.Authentication;
using Plue.Vault;

namespace Plue.Agents.Mcp.OAuth;

/// <summary>
/// A remote server's OAuth tokens and client registration, kept in the vault only (<c>vault://mcp-oauth/&lt;slug&gt;</c>):
/// never the store, a log or an RPC result. Read on every request, so a sign-in in one connection serves the others.
/// </summary>
public sealed class McpTokenVault(IVault vault, string server) : ITokenCache
{
    public const string Provider = "mcp-oauth";

    public static string Reference(string server) => $"vault://{Provider}/{server}";

    public ValueTask StoreTokensAsync(TokenContainer tokens, CancellationToken cancellationToken)
    {
        var stored = new JsonObject
        {
            ["token_type"] = tokens.TokenType,
            ["access_token"] = tokens.AccessToken,
            ["refresh_token"] = tokens.RefreshToken,
            ["expires_in"] = tokens.ExpiresIn,
            ["scope"] = tokens.Scope,
            ["obtained_at"] = tokens.ObtainedAt.ToString("O", CultureInfo.InvariantCulture),
            ["client_id"] = tokens.ClientId,
            ["client_secret"] = tokens.ClientSecret,
            ["token_endpoint_auth_method"] = tokens.TokenEndpointAuthMethod,
            ["authorization_server"] = tokens.AuthorizationServer,
        };
        vault.Store(Reference(server), stored.ToJsonString());
        return ValueTask.CompletedTask;
    }

    public ValueTask<TokenContainer?> GetTokensAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Read());

    /// <summary>The stored tokens; null when the server has none (or they cannot be read).</summary>
    public TokenContainer? Read()
    {
        if (vault.Resolve(Reference(server)) is not { } text) return null;
        JsonObject stored;
        try
        {
            if (JsonNode.Parse(text) is not JsonObject parsed) return null;
            stored = parsed;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        if (Text(stored, "access_token") is not { } access) return null;
        return new TokenContainer
        {
            TokenType = Text(stored, "token_type") ?? "Bearer",
            AccessToken = access,
            RefreshToken = Text(stored, "refresh_token"),
            ExpiresIn = stored["expires_in"]?.GetValue<int>(),
            Scope = Text(stored, "scope"),
            ObtainedAt = DateTimeOffset.TryParse(Text(stored, "obtained_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : DateTimeOffset.MinValue,
            ClientId = Text(stored, "client_id"),
            ClientSecret = Text(stored, "client_secret"),
            TokenEndpointAuthMethod = Text(stored, "token_endpoint_auth_method"),
            AuthorizationServer = Text(stored, "authorization_server"),
        };
    }

    private static string? Text(JsonObject stored, string name) => stored[name]?.GetValue<string>();
}
