using Plue.Agents.Mcp;
using Plue.Agents.Tools.Approvals;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Tools;

/// <summary>The tools' methods: the allow-always answers remembered, and the test of an MCP server's record.</summary>
public sealed class AgentToolEndpoints(ToolApprovals approvals, CodexService codex, McpServers servers) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.PermissionsList, _ => approvals.Remembered());
        router.Add(Contract.PermissionsReset, p => new PermissionsResetResult { Removed = approvals.Forget(p.TaskId, p.Folders, p.Tool) });
        router.Add(Contract.McpTools, (p, ct) => servers.TestAsync(codex.Get(p.Id), ct));
    }
}
