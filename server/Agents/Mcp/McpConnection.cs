using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Plue.Agents.Mcp;

/// <summary>One running MCP server: its client session and the tools it offered when it started.</summary>
public sealed class McpConnection : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly McpClient _client;

    private McpConnection(McpServerConfig config, McpClient client, McpSecrets secrets, Plue.Sandbox.ChildDenials? sandbox)
    {
        Config = config;
        _client = client;
        Secrets = secrets;
        Sandbox = sandbox;
    }

    /// <summary>What the sandbox refuses the server (confined stdio servers only).</summary>
    public Plue.Sandbox.ChildDenials? Sandbox { get; }

    public McpServerConfig Config { get; }

    /// <summary>The credentials Plue gave the server, scrubbed from every text it sends back.</summary>
    public McpSecrets Secrets { get; }

    public IReadOnlyList<McpAgentTool> Tools { get; private set; } = [];

    /// <summary>
    /// Starts the server (or connects to it, over <paramref name="transport"/>) and lists its tools, within 30 s, or
    /// longer while the user signs in; <paramref name="cancellationToken"/> stops waiting sooner.
    /// </summary>
    /// <param name="handlers">What the client answers the server's own requests with (elicitation); null: nothing.</param>
    /// <param name="secrets">The credentials the transport gave the server; null: none.</param>
    public static async Task<McpConnection> StartAsync(McpServerConfig config, IClientTransport transport, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken = default, TimeSpan? timeLimit = null, McpClientHandlers? handlers = null, McpSecrets? secrets = null,
        Plue.Sandbox.ChildDenials? sandbox = null)
    {
        secrets ??= new McpSecrets(null, config.Slug);
        var limit = timeLimit ?? s_startTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var where = config.IsRemote ? config.Url : config.Command;
        McpClient client;
        try
        {
            var options = new McpClientOptions
            {
                InitializationTimeout = limit,
                Capabilities = handlers?.ElicitationHandler is null ? null
                    : new ClientCapabilities { Elicitation = new ElicitationCapability { Form = new FormElicitationCapability() } },
                Handlers = handlers ?? new McpClientHandlers(),
            };
            client = await McpClient.CreateAsync(transport, options, loggerFactory, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw new McpException($"MCP server '{config.Slug}' ({where}) did not answer within {limit.TotalSeconds:0} s of starting.", e);
        }
        catch (Exception e) when (e is not McpException)
        {
            throw new McpException($"MCP server '{config.Slug}' ({where}) did not start: {secrets.Scrub(Why(transport, e))}", e);
        }
        try
        {
            var listed = await client.ListToolsAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
            var connection = new McpConnection(config, client, secrets, sandbox);
            connection.Tools = McpAgentTool.ForServer(connection, listed.Select(t => t.ProtocolTool));
            return connection;
        }
        catch (Exception e)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            throw new McpException($"MCP server '{config.Slug}' started but did not list its tools: {secrets.Scrub(Why(transport, e))}", e);
        }
    }

    /// <summary>Why a server failed, in the user's words; one in a container says where it ran and what it wrote.</summary>
    private static string Why(IClientTransport transport, Exception e)
    {
        var cause = McpErrorWords.Of(McpHttpTransport.Cause(transport, e));
        return transport is McpContainerTransport inContainer ? inContainer.Why(cause) : cause;
    }

    public Task<CallToolResult> CallAsync(string tool, JsonElement input, CancellationToken cancellationToken)
    {
        var arguments = input.ValueKind == JsonValueKind.Object
            ? input.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
            : [];
        return _client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken).AsTask();
    }

    /// <summary>The server's resources; none when it offers no resources.</summary>
    public async Task<IList<McpClientResource>> ResourcesAsync(CancellationToken cancellationToken) =>
        _client.ServerCapabilities.Resources is null ? [] : await _client.ListResourcesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    public Task<ReadResourceResult> ReadResourceAsync(string uri, CancellationToken cancellationToken) =>
        _client.ReadResourceAsync(uri, cancellationToken: cancellationToken).AsTask();

    /// <summary>The server's prompts; none when it offers no prompts.</summary>
    public async Task<IList<McpClientPrompt>> PromptsAsync(CancellationToken cancellationToken) =>
        _client.ServerCapabilities.Prompts is null ? [] : await _client.ListPromptsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    public Task<GetPromptResult> GetPromptAsync(string name, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken) =>
        _client.GetPromptAsync(name, arguments.ToDictionary(a => a.Key, a => (object?)a.Value, StringComparer.Ordinal), cancellationToken: cancellationToken).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        Sandbox?.Dispose();
    }
}
