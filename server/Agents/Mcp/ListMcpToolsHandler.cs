using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Mcp;

/// <summary>
/// <c>mcp/tools</c>: starts an <c>mcp-server</c> record's server as configured (disabled or not), lists its tools and
/// stops it again. This is how a client tests a server; a server that cannot start is an <see cref="ErrorCodes.McpServerError"/>
/// whose message says why.
/// </summary>
public sealed class ListMcpToolsHandler(CodexService codex, McpServers servers) : RequestHandler<IdParams, McpToolsResult>
{
    public override string Method => Methods.McpTools;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<McpToolsResult> ResultType => PlueJsonContext.Default.McpToolsResult;

    public override async ValueTask<McpToolsResult> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken)
    {
        var record = codex.Get(request.Id);
        if (record.TemplateId != McpServerConfig.TemplateId)
            throw RpcException.InvalidParams($"'{record.Title}' is a {record.TemplateId} record, not an MCP server ({McpServerConfig.TemplateId})");
        IReadOnlyList<McpAgentTool> tools;
        try
        {
            tools = await servers.ProbeAsync(McpServerConfigs.From(record), cancellationToken).ConfigureAwait(false);
        }
        catch (McpException e)
        {
            throw new RpcException(ErrorCodes.McpServerError, e.Message, inner: e);
        }
        return new McpToolsResult
        {
            Server = record.Slug,
            Tools = [.. tools.Select(t => new McpToolSummary { Name = t.ServerToolName, AgentName = t.Name, Description = t.ServerDescription })],
        };
    }
}
