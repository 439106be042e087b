using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Vault;

namespace Plue.Agents.Mcp;

/// <summary>
/// The inputs of an MCP file's server (<c>${input:id}</c>): before it starts, each the vault does not hold is asked of
/// the user once (<c>mcp/input</c>, which the client stores in the vault itself), then read from the vault as a
/// record's secret variable is. A value not given stops the start with what to do.
/// </summary>
public sealed partial class McpFileInputs(JsonRpcPeer? peer, IVault vault, ILogger<McpFileInputs> logger)
{
    /// <summary>The tool <c>permission/request</c> names when a file's server that appeared or changed during the session would start.</summary>
    public const string Tool = "mcp_server_file";

    /// <summary>The file servers the user allowed to start since they appeared or changed (slug and version).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _allowed = new(StringComparer.Ordinal);

    public async Task EnsureAsync(McpServerConfig config, CancellationToken cancellationToken)
    {
        await EnsureAllowedAsync(config, cancellationToken).ConfigureAwait(false);
        foreach (var input in config.Inputs)
        {
            var reference = McpFileServers.InputRef(config.Slug, input.Id);
            if (vault.Resolve(reference) is not null) continue;
            var stored = false;
            if (peer is not null)
            {
                try
                {
                    stored = (await peer.RequestAsync(Contract.McpInput, new McpInputParams
                    {
                        Title = config.Title, File = config.File ?? "", Input = input.Id, Description = input.Description, Password = input.Password, Ref = reference,
                        Options = input.Options, Default = input.Default,
                    }, cancellationToken).ConfigureAwait(false)).Stored;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogNotAsked(config.Slug, input.Id, e.Message);
                }
            }
            if (!stored || vault.Resolve(reference) is null)
                throw new McpException($"MCP server '{config.Title}' ({config.File}) needs its input '{input.Id}'{(input.Description is { } d ? $" ({d})" : "")}, " +
                    $"which was not given: it is asked again on the server's next use, or store it in the vault at {reference}.");
        }
    }

    /// <summary>
    /// A file's server that appeared or changed since the session began starts only once the user has seen its file and
    /// allowed it (<c>permission/request</c>, tool <see cref="Tool"/>); otherwise the start stops with what to do.
    /// </summary>
    private async Task EnsureAllowedAsync(McpServerConfig config, CancellationToken cancellationToken)
    {
        var key = $"{config.File}#{config.Slug}#{config.Version}";
        if (!config.Unseen || _allowed.ContainsKey(key)) return;
        var allowed = false;
        if (peer is not null)
        {
            string text;
            try
            {
                text = config.FileRoot is { } root && config.File is { } file ? File.ReadAllText(Path.Combine(root, file)) : "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                text = "";
            }
            var input = new System.Text.Json.Nodes.JsonObject
            {
                ["path"] = config.File,
                ["server"] = config.Title,
                ["command"] = string.Join(' ', config.Args.Prepend(config.Command)),
                ["content"] = text.Length <= 20_000 ? text : text[..20_000] + "…",
            };
            try
            {
                var answer = await peer.RequestAsync(Contract.PermissionRequest, new PermissionRequestParams
                {
                    Tool = Tool,
                    Input = System.Text.Json.JsonDocument.Parse(input.ToJsonString()).RootElement.Clone(),
                    Reason = $"The MCP server '{config.Title}' in {config.File} appeared or changed during this session (the agent may have written it): start it?",
                }, cancellationToken).ConfigureAwait(false);
                allowed = answer?.Decision is "allow" or "allowAlways";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStartNotAsked(config.Slug, e.Message);
            }
        }
        if (!allowed)
            throw new McpException($"The MCP server '{config.Title}' in {config.File} appeared or changed during this session and was not allowed to start: " +
                "review the file; it is asked again on the server's next use.");
        _allowed[key] = true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP server {Server} changed during the session and was not started: the user could not be asked ({Reason})")]
    private partial void LogStartNotAsked(string server, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP server {Server}: its input {Input} could not be asked ({Reason})")]
    private partial void LogNotAsked(string server, string input, string reason);
}
