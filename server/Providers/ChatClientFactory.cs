using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers.Acp;
using Plue.Providers.ClaudeCode;
using Plue.Providers.VsCodeLm;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Providers;

/// <summary>
/// Picks the backend for an instance's provider type. HTTP backends share one HttpClient; the
/// claude CLI and an ACP agent keep one live process per conversation in a shared pool, run in the
/// first workspace folder, and ask the user for tool approvals through the client.
/// </summary>
public sealed class ChatClientFactory(ClaudeCodeSessions cliSessions, ClaudeCodeChildEnvironment cliEnvironment, JsonRpcPeer peer,
    LmPartStreams lmStreams, WorkspaceContext session, ILoggerFactory loggers, AcpAgentSessions agents, IAcpWorkspaceFiles? agentFiles = null,
    Sandbox.SandboxContext? sandbox = null) : IChatClientFactory, IDisposable
{
    // Made on first use: the sidecar's start-up builds every handler and must stay cheap.
    private readonly Lazy<HttpClient> _http = new(ProviderClients.CreateHttpClient);

    // A chat or task that names no policy runs its agent under the workspace's (none where the host does not confine).
    private Sandbox.SandboxPolicy? WorkspaceSandbox => sandbox?.Workspace;

    // The host's sandbox (its Plue home, its agents' proxies); a factory outside a host keeps its own.
    private readonly Sandbox.SandboxContext _confinement = sandbox ?? new();

    public IChatClient Create(ProviderConnection connection, string conversationKey) => Create(connection, conversationKey, ClaudeCodeApprovals.ViaClient(peer));

    /// <summary>The instance's backend, wrapped in the provider layer's one redaction point (<see cref="SecretScrubbingChatClient"/>).</summary>
    public IChatClient Create(ProviderConnection connection, string conversationKey, Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>> approver,
        Sandbox.SandboxPolicy? sandbox = null) =>
        new SecretScrubbingChatClient(Backend(connection, approver, sandbox), connection);

    private IChatClient Backend(ProviderConnection connection, Func<ToolApprovalRequest, CancellationToken, Task<ToolApprovalDecision>> approver, Sandbox.SandboxPolicy? sandbox) => connection.ProviderType switch
    {
        ProviderTypes.ClaudeCode => new ClaudeCodeChatClient(connection, new ClaudeCodeChatClientOptions
        {
            WorkingDirectory = session.Folders.FirstOrDefault() ?? session.Home,
            Approver = approver,
            Sessions = cliSessions,
            Environment = cliEnvironment.Variables,
            Sandbox = sandbox ?? WorkspaceSandbox,
            Confinement = _confinement,
            WorkspaceTrusted = session.Trusted,
            Logger = loggers.CreateLogger<ClaudeCodeChatClient>(),
        }),
        ProviderTypes.AcpAgent => new AcpAgentChatClient(connection, new AcpAgentOptions
        {
            WorkingDirectory = session.Folders.FirstOrDefault() ?? session.Home,
            Approver = approver,
            Sessions = agents,
            Files = agentFiles,
            Sandbox = sandbox ?? WorkspaceSandbox,
            Confinement = _confinement,
            WorkspaceTrusted = session.Trusted,
            Logger = loggers.CreateLogger<AcpAgentChatClient>(),
        }),
        ProviderTypes.VsCodeLm => new VsCodeLmChatClient(connection, peer, lmStreams),
        ProviderTypes.Anthropic or ProviderTypes.Azure or ProviderTypes.Bedrock or ProviderTypes.Google or ProviderTypes.GoogleVertex or ProviderTypes.Ollama or ProviderTypes.OpenAI or ProviderTypes.OpenAICompatible or ProviderTypes.OpenRouter =>
            ProviderClients.Create(connection, _http.Value),
        var other => throw new RpcException(PlueErrorCodes.ProviderError, $"No backend serves provider type '{other}' yet"),
    };

    public void Dispose()
    {
        if (_http.IsValueCreated) _http.Value.Dispose();
        if (sandbox is null) _confinement.Dispose();
    }
}
