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
    public async Task EnsureAsync(McpServerConfig config, CancellationToken cancellationToken)
    {
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP server {Server}: its input {Input} could not be asked ({Reason})")]
    private partial void LogNotAsked(string server, string input, string reason);
}
