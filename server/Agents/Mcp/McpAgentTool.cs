using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using Plue.Agents.Tools;

namespace Plue.Agents.Mcp;

/// <summary>
/// One tool of an MCP server as an agent tool, named <c>mcp__&lt;server&gt;__&lt;tool&gt;</c> (characters a model API
/// refuses in a function name become '_'). It asks for approval unless its server's record says trusted. Its
/// description, schema, results and errors are scrubbed of the server's credentials (<see cref="McpSecrets"/>).
/// </summary>
public sealed class McpAgentTool : IAgentTool, IDescribesCall
{
    public const int MaxOutputChars = 100_000;

    private readonly McpConnection _connection;
    private readonly Tool _tool;

    private McpAgentTool(McpConnection connection, Tool tool, string name)
    {
        _connection = connection;
        _tool = tool;
        Name = name;
        ServerDescription = connection.Secrets.ScrubOrNull(tool.Description);
        InputSchema = connection.Secrets.Scrub(tool.InputSchema);
    }

    public string Name { get; }
    /// <summary>The tool's name on its server (before cleaning and the <c>mcp__</c> prefix).</summary>
    public string ServerToolName => _tool.Name;
    /// <summary>The server's own description of the tool, if it gave one.</summary>
    public string? ServerDescription { get; }
    public string Description => $"[MCP server {_connection.Config.Title}] {ServerDescription ?? _tool.Name}";
    public JsonElement InputSchema { get; }
    public bool AsksApproval => !_connection.Config.Trusted;

    /// <summary>The server's tools under their agent names; a name taken twice after cleaning keeps its first tool.</summary>
    public static IReadOnlyList<McpAgentTool> ForServer(McpConnection connection, IEnumerable<Tool> tools) =>
        [.. tools.Select(t => new McpAgentTool(connection, t, ToolNames.Mcp(connection.Config.Slug, Clean(t.Name))))
            .DistinctBy(t => t.Name, StringComparer.Ordinal)];

    public string DescribeCall(JsonElement input) => $"Use {_tool.Name} of the MCP server {_connection.Config.Title}";

    public async Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        CallToolResult result;
        var mark = _connection.Sandbox?.Mark();
        try
        {
            result = await _connection.CallAsync(_tool.Name, input, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ToolException($"The MCP server {_connection.Config.Title} failed to run {_tool.Name}: {_connection.Secrets.Scrub(e.Message)}", e);
        }
        finally
        {
            _connection.Sandbox?.Ended();
        }
        var text = _connection.Secrets.Scrub(Format(result));
        // What the sandbox refused the server meanwhile, as a bash call's: its card offers to allow it.
        if (mark is { } before && _connection.Sandbox!.Since(before) is { Denials.Count: > 0 } seen)
            return new ToolResult(text + "\n" + Sandbox.SandboxDenials.Note(context.Sandbox, seen.Denials, context.WorkspaceFolders), IsError: result.IsError == true) { SandboxDenials = seen.Denials };
        return new ToolResult(text, IsError: result.IsError == true);
    }

    private static string Format(CallToolResult result)
    {
        var text = new StringBuilder();
        foreach (var block in result.Content)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(block switch
            {
                TextContentBlock t => t.Text,
                ImageContentBlock i => $"[image, {i.MimeType}: not shown]",
                AudioContentBlock a => $"[audio, {a.MimeType}: not shown]",
                EmbeddedResourceBlock { Resource: TextResourceContents r } => r.Text,
                EmbeddedResourceBlock r => $"[resource {r.Resource.Uri}: not shown]",
                ResourceLinkBlock l => $"[resource link: {l.Uri}]",
                _ => $"[{block.Type} content: not shown]",
            });
        }
        if (text.Length == 0 && result.StructuredContent is { } structured) text.Append(structured.GetRawText());
        if (text.Length > MaxOutputChars) return text.ToString(0, MaxOutputChars) + $"\n[Truncated: the output was {text.Length} characters.]";
        return text.Length == 0 ? "(no output)" : text.ToString();
    }

    private static string Clean(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_'));
}
