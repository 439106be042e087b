using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Mcp;

/// <summary>
/// MCP elicitation (form mode): a server that needs values from the user during a tool call asks, and the question
/// goes to the client as <c>mcp/elicit</c>, titled with the server's name. Without a client, or when it fails to
/// answer, the answer is <c>cancel</c>, which the server turns into its own tool result. A link to open (URL mode) is
/// not offered, so never asked for.
/// </summary>
public sealed partial class McpElicitation(JsonRpcPeer? peer, ILogger<McpElicitation> logger)
{
    private static readonly string[] s_actions = ["accept", "decline", "cancel"];

    /// <summary>The handlers of a connection to <paramref name="config"/>; none without a client to ask.</summary>
    public McpClientHandlers Handlers(McpServerConfig config) =>
        peer is null ? new McpClientHandlers() : new McpClientHandlers { ElicitationHandler = (request, ct) => AskAsync(config, request, ct) };

    private async ValueTask<ElicitResult> AskAsync(McpServerConfig config, ElicitRequestParams? request, CancellationToken cancellationToken)
    {
        if (peer is null || request is null || request.Mode == "url") return new ElicitResult { Action = "decline" };
        var schema = request.RequestedSchema is null ? new JsonObject()
            // Through the SDK's own generated metadata: the reflection overload cannot be compiled ahead of time (Native AOT).
            : JsonSerializer.SerializeToNode(request.RequestedSchema, McpJsonUtilities.DefaultOptions.GetTypeInfo(request.RequestedSchema.GetType()))?.AsObject() ?? [];
        LogAsking(config.Slug);
        McpElicitResult answer;
        try
        {
            answer = await peer.RequestAsync(Contract.McpElicit, new McpElicitParams
            {
                Server = config.Slug,
                Title = config.Title,
                Message = request.Message,
                RequestedSchema = schema,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNoAnswer(config.Slug, e.Message);
            return new ElicitResult { Action = "cancel" };
        }
        var action = s_actions.Contains(answer.Action, StringComparer.Ordinal) ? answer.Action : "cancel";
        LogAnswered(config.Slug, action);
        return new ElicitResult { Action = action, Content = action == "accept" ? Values(answer.Content) : null };
    }

    /// <summary>The values as the SDK sends them: each property's JSON value.</summary>
    private static Dictionary<string, JsonElement> Values(JsonObject? content)
    {
        if (content is null) return [];
        using var document = JsonDocument.Parse(content.ToJsonString());
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server} asks the user for values")]
    private partial void LogAsking(string server);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server}: the user chose {Action}")]
    private partial void LogAnswered(string server, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP server {Server}: the client did not answer its question ({Reason}); cancelled")]
    private partial void LogNoAnswer(string server, string reason);
}
