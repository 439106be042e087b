using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Agents.Mcp;
using Plue.Agents.Tools.Approvals;
using Plue.Checkpoints;
using Plue.Customizations;
using Plue.Workspace;

namespace Plue.Agents.Tools;

/// <summary>
/// The one door through which a task's tool calls pass: refuses tools outside the grant, checks the input's shape,
/// asks the user (<c>permission/request</c>) for those that change things, then runs them in the workspace.
/// Everything that goes wrong comes back as an error result the model reads; only cancellation throws.
/// </summary>
public sealed partial class ToolRunner
{
    /// <summary>A session no client initialized: no workspace folder, not trusted.</summary>
    private static readonly WorkspaceContext s_noClient = new();

    /// <summary>The tools that change the workspace folder: a task with one of them writes.</summary>
    public static IReadOnlyList<string> ChangingTools { get; } = ["write", "edit", "bash"];

    private static readonly HashSet<string> s_changesFiles = new(ChangingTools, StringComparer.Ordinal);

    private readonly Dictionary<string, IAgentTool> _tools;
    private readonly ToolApprovals _approvals;
    private readonly WorkspaceContext _session;
    private readonly McpServers? _mcp;
    private readonly ILogger _logger;
    private readonly CheckpointStore? _checkpoints;
    private readonly IAgentHooks? _hooks;
    private readonly Sandbox.SandboxContext? _sandbox;

    /// <summary>Without a client or workspace: file tools refuse and tools that ask are denied. For callers that only declare tools.</summary>
    public ToolRunner(IEnumerable<IAgentTool> tools)
        : this(tools, new ToolApprovals(null, null, s_noClient, NullLogger<ToolApprovals>.Instance), s_noClient, null, NullLogger<ToolRunner>.Instance)
    {
    }

    public ToolRunner(IEnumerable<IAgentTool> tools, ToolApprovals approvals, WorkspaceContext session, McpServers? mcp, ILogger<ToolRunner> logger,
        CheckpointStore? checkpoints = null, IAgentHooks? hooks = null, Sandbox.SandboxContext? sandbox = null)
    {
        _sandbox = sandbox;
        _checkpoints = checkpoints;
        _hooks = hooks;
        _tools = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _approvals = approvals;
        _session = session;
        _mcp = mcp;
        _logger = logger;
    }

    /// <summary>The tools the model is offered: only those the grant allows (MCP ones only from servers already started).</summary>
    public IReadOnlyList<AIFunctionDeclaration> Declarations(ToolGrant grant) =>
        [.. Offered(grant, McpServersOf(grant).SelectMany(s => _mcp?.StartedTools(s, grant.Sandbox, grant.Container) ?? []))];

    /// <summary>
    /// As <see cref="Declarations(ToolGrant)"/>, starting the MCP servers the grant names first so their tools are
    /// offered too. A server that cannot start is left out and logged; calling its tools then says why.
    /// </summary>
    public async Task<IReadOnlyList<AIFunctionDeclaration>> DeclarationsAsync(ToolGrant grant, CancellationToken cancellationToken)
    {
        var mcpTools = new List<IAgentTool>();
        if (_mcp is not null)
            foreach (var server in McpServersOf(grant))
            {
                try
                {
                    mcpTools.AddRange(await _mcp.ToolsAsync(server, cancellationToken, grant.Sandbox, grant.Container).ConfigureAwait(false));
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    LogMcpUnavailable(server, e.Message);
                }
            }
        return [.. Offered(grant, mcpTools)];
    }

    /// <summary>Runs one call; a refusal or failure comes back as an error result the model reads.</summary>
    public async Task<ToolResult> RunAsync(ToolGrant grant, string name, JsonElement input, CancellationToken cancellationToken)
    {
        if (!ToolNames.Matches(grant.Allowed, name)) return ToolResult.Error($"The tool '{name}' is not allowed in this {What(grant)}. {AllowedList(grant)}");
        try
        {
            var tool = await FindAsync(name, cancellationToken, grant.Sandbox, grant.Container).ConfigureAwait(false);
            if (tool is null) return ToolResult.Error($"There is no tool '{name}'. {AllowedList(grant)}");
            if (ToolInputCheck.Problem(tool.InputSchema, input) is { } problem) return ToolResult.Error($"{name}: {problem}");
            if (tool is IChecksCall checks && checks.Problem(input, grant.TaskId) is { } refusal) return ToolResult.Error(refusal);
            return await HookedAsync(grant, tool, input, asks: NeedsApproval(tool), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ToolException e)
        {
            return ToolResult.Error(e.Message);
        }
        catch (McpException e)
        {
            return ToolResult.Error(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ToolResult.Error($"{name} failed: {e.Message}");
        }
        catch (Exception e)
        {
            LogToolFailed(name, e);
            return ToolResult.Error($"{name} failed unexpectedly ({e.GetType().Name}): {e.Message}");
        }
    }

    /// <summary>
    /// Runs again a call the user let through by hand (a sandbox denial's "Allow this once"): no rule is weighed and no
    /// one asked, since the user just answered; <paramref name="grant"/> carries the widened policy. Its PreToolUse and
    /// PostToolUse hooks run as for any call: a hook that blocks it blocks it again.
    /// </summary>
    public async Task<ToolResult> RunAllowedAsync(ToolGrant grant, string name, JsonElement input, CancellationToken cancellationToken)
    {
        var tool = await FindAsync(name, cancellationToken, grant.Sandbox, grant.Container).ConfigureAwait(false) ?? throw new ToolException($"There is no tool '{name}'.");
        try
        {
            return await HookedAsync(grant, tool, input, asks: false, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolException e)
        {
            return ToolResult.Error(e.Message);
        }
    }

    /// <summary>
    /// The call between its hooks: PreToolUse first (a call a hook blocks never asks, and the model reads why), then the
    /// user or the rules when <paramref name="asks"/>, the tool, and PostToolUse (a hook's exit 2 adds its stderr to
    /// what the model reads). The hooks run under the call's sandbox policy.
    /// </summary>
    private async Task<ToolResult> HookedAsync(ToolGrant grant, IAgentTool tool, JsonElement input, bool asks, CancellationToken cancellationToken)
    {
        var name = tool.Name;
        var hookCall = Turns.TurnHooks.PreToolUse(new(grant.TaskId, grant.Folders ?? _session.Folders, grant.Sandbox, ClaudeCode: false), name, input);
        var pre = await HooksAsync(hookCall, cancellationToken).ConfigureAwait(false);
        if (pre.Blocked) return ToolResult.Error($"A PreToolUse hook blocked this call: {pre.Feedback}") with { Notices = pre.Notices };
        var approval = asks
            ? await Approve(grant, tool, input, cancellationToken).ConfigureAwait(false)
            : ApprovalOutcome.Allow(ApprovalOutcome.Sources.Tool, tool is McpAgentTool ? $"{name}: its MCP server is trusted" : $"{name} never asks");
        if (!approval.Allowed) return ToolResult.Refused(approval.Reason!) with { Approval = approval.Decided, Notices = pre.Notices };
        var result = await RunToolAsync(grant, tool, input, cancellationToken).ConfigureAwait(false);
        var post = await HooksAsync(Turns.TurnHooks.PostToolUse(hookCall, result.Output, result.IsError), cancellationToken).ConfigureAwait(false);
        if (post.Blocked) result = result with { Output = $"{result.Output}\n[A PostToolUse hook says: {post.Feedback}]" };
        return result with { Approval = approval.Decided, Notices = [.. pre.Notices, .. post.Notices] };
    }

    private async Task<ToolResult> RunToolAsync(ToolGrant grant, IAgentTool tool, JsonElement input, CancellationToken cancellationToken)
    {
        var context = new ToolContext { TaskId = grant.TaskId, WorkspaceFolders = grant.Folders ?? _session.Folders, BashTimeoutMs = grant.BashTimeoutMs, Sandbox = grant.Sandbox,
            PlueHome = _sandbox?.PlueHome, Container = grant.Container ?? await ChatContainerAsync(grant, tool, cancellationToken).ConfigureAwait(false) };
        // A task on an engine on another machine: its files are the container's copy, not this machine's.
        if (grant.Container is { Copy: not null } remote && Containers.ContainerFiles.Handles(tool.Name))
            return await Containers.ContainerFiles.RunAsync(remote, tool.Name, input, context, cancellationToken).ConfigureAwait(false);
        // What write, edit and bash change is recorded as the turn's checkpoint, so it can be put back; in a worktree
        // nothing of the workspace changes until the task's changes are applied, which is recorded then.
        return await (_checkpoints is not null && grant.Folders is null && s_changesFiles.Contains(tool.Name)
            ? _checkpoints.RecordAsync(grant.TaskId, CheckpointStore.Turn, () => tool.RunAsync(input, context, cancellationToken), cancellationToken)
            : tool.RunAsync(input, context, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>A chat whose policy runs its commands in a container gets it at its first <c>bash</c> call; one that cannot be made is the call's error.</summary>
    private static async Task<Containers.TaskContainer?> ChatContainerAsync(ToolGrant grant, IAgentTool tool, CancellationToken cancellationToken)
    {
        if (grant.OpenContainer is not { } open || tool.Name != "bash") return null;
        try
        {
            return await open(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Engines.EngineException or Rpc.RpcException)
        {
            throw new ToolException($"The command could not run in the chat's container: {e.Message}");
        }
    }

    private Task<AgentHookOutcome> HooksAsync(AgentHookCall call, CancellationToken cancellationToken) =>
        _hooks?.RunAsync(call, cancellationToken) ?? Task.FromResult(AgentHookOutcome.None);

    private Task<ApprovalOutcome> Approve(ToolGrant grant, IAgentTool tool, JsonElement input, CancellationToken cancellationToken)
    {
        var reason = tool is IDescribesCall describes ? describes.DescribeCall(input) : null;
        return _approvals.RequestAsync(grant, tool.Name, input, reason, cancellationToken);
    }

    /// <summary>
    /// Whether a call of <paramref name="name"/> is weighed by the approval rules: a built-in tool as it says (read and
    /// search never ask); any other (an MCP server's, one no longer known) is, as an untrusted server's tool is.
    /// </summary>
    public bool Asks(string name) => !_tools.TryGetValue(name, out var tool) || tool.AsksApproval;

    /// <summary>A trusted MCP server's tools skip approval only in a trusted workspace: the server acts on the folder.</summary>
    private bool NeedsApproval(IAgentTool tool) => tool.AsksApproval || (tool is McpAgentTool && !_session.Trusted);

    private async Task<IAgentTool?> FindAsync(string name, CancellationToken cancellationToken, Sandbox.SandboxPolicy policy, Containers.TaskContainer? container)
    {
        if (_tools.TryGetValue(name, out var tool)) return tool;
        if (_mcp is null || ToolNames.McpServerOf(name) is null) return null;
        return await _mcp.FindAsync(name, cancellationToken, policy, container).ConfigureAwait(false);
    }

    private IEnumerable<AIFunctionDeclaration> Offered(ToolGrant grant, IEnumerable<IAgentTool> mcpTools) =>
        _tools.Values.Concat(mcpTools).Where(t => ToolNames.Matches(grant.Allowed, t.Name)).DistinctBy(t => t.Name)
            .Select(t => AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.InputSchema));

    private static IEnumerable<string> McpServersOf(ToolGrant grant) =>
        grant.Allowed.Select(ToolNames.McpServerOf).OfType<string>().Distinct(StringComparer.Ordinal);

    private static string AllowedList(ToolGrant grant) =>
        grant.Allowed.Count == 0 ? $"This {What(grant)} has no tools." : $"Allowed tools: {string.Join(", ", grant.Allowed.Order(StringComparer.Ordinal))}.";

    /// <summary>What the refusal names: a chat is a chat to its user, not a task.</summary>
    private static string What(ToolGrant grant) => grant.ForChat ? "chat" : "task";

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP server {Server} is not available to the task: {Reason}")]
    private partial void LogMcpUnavailable(string server, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tool {Tool} failed")]
    private partial void LogToolFailed(string tool, Exception exception);
}
