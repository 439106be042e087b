using System.Text.Json;
using Plue.Agents.Mcp.OAuth;
using Plue.Providers;
using Plue.Vault;

namespace Plue.Agents.Mcp;

/// <summary>
/// The credentials Plue gave one MCP server: the vault values resolved into its headers or environment, and its OAuth
/// tokens and client secret (read from the vault each time: they are refreshed as it runs). Every text that leaves the
/// server (tool descriptions and schemas, results and errors, resources, prompts) goes through <see cref="Scrub(string)"/>
/// before it is stored, shown or sent to a model, in every form a provider error is scrubbed of (<see cref="ProviderSecrets"/>).
/// </summary>
public sealed class McpSecrets(IVault? vault, string server)
{
    private readonly ProviderSecrets _secrets = new();

    /// <summary>Registers a value resolved from the vault for this server.</summary>
    public void Add(string? secret) => _secrets.Add(secret);

    /// <summary><paramref name="text"/> without any of the server's credentials.</summary>
    public string Scrub(string text) => Now().Scrub(text);

    /// <summary>A JSON value (a tool's schema) without any of the server's credentials (<see cref="ProviderSecrets.Scrub(JsonElement)"/>).</summary>
    public JsonElement Scrub(JsonElement json) => Now().Scrub(json);

    private ProviderSecrets Now()
    {
        if (vault is not null && new McpTokenVault(vault, server).Read() is { } tokens)
            _secrets.Add(tokens.AccessToken, tokens.RefreshToken, tokens.ClientSecret);
        return _secrets;
    }

    public string? ScrubOrNull(string? text) => text is null ? null : Scrub(text);
}
