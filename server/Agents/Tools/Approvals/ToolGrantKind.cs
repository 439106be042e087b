using Plue.Codex.Kinds;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Agents.Tools.Approvals;

/// <summary>The <c>tool-grant</c> kind: each record told as the grant clients show (its chat or task named by title).</summary>
public sealed class ToolGrantKind(Func<ToolGrants> grants, WorkspaceContext session) : IRecordKind
{
    public string TemplateId => ToolGrants.TemplateId;

    public RecordView View(CodexRecord record) => new ToolGrantView { Grant = grants().Info(record, session.Folders) };
}
