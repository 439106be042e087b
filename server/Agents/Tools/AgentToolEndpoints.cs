using Plue.Agents.Mcp;
using Plue.Agents.Tools.Approvals;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Tools;

/// <summary>The tools' methods: the allow-always answers remembered, their replay over a recorded chat or task, a sandbox denial let through, the configured MCP servers, the test of an MCP server's record, and its resources and prompts.</summary>
public sealed class AgentToolEndpoints(ToolApprovals approvals, ApprovalReplay replay, CodexService codex, McpServers servers, McpServerConfigs configs, McpOfferings offerings, SandboxRetries retries) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.PermissionsList, _ => approvals.Remembered());
        router.Add(Contract.PermissionsReset, p => new PermissionsResetResult { Removed = approvals.Forget(p.Id, p.TaskId, p.Folders, p.Tool) });
        router.Add(Contract.ApprovalsReplay, replay.Replay);
        router.Add(Contract.SandboxAllowOnce, retries.AllowOnceAsync);
        router.Add(Contract.SandboxAllowAlways, retries.AllowAlwaysAsync);
        router.Add(Contract.McpServers, _ => configs.Servers());
        router.Add(Contract.McpTools, (p, ct) => servers.TestAsync(codex.Get(p.Id), ct));
        router.Add(Contract.McpResources, (_, ct) => offerings.ResourcesAsync(ct));
        router.Add(Contract.McpReadResource, (p, ct) => offerings.ReadResourceAsync(p, ct));
        router.Add(Contract.McpPrompts, (_, ct) => offerings.PromptsAsync(ct));
        router.Add(Contract.McpGetPrompt, (p, ct) => offerings.GetPromptAsync(p, ct));
    }
}
