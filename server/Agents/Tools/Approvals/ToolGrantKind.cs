using System.Text.Json.Nodes;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Agents.Tools.Approvals;

/// <summary>
/// The <c>tool-grant</c> kind: each record told as the grant clients show (its chat or task named by title), and a
/// rule that could not be matched well (a path glob of many <c>**</c>) refused by every door that writes one.
/// </summary>
public sealed class ToolGrantKind(Func<ToolGrants> grants, WorkspaceContext session) : IRecordKind
{
    public string TemplateId => ToolGrants.TemplateId;

    public IEnumerable<FieldError> Check(CodexRecord? before, JsonObject fields)
    {
        if (PathGlob.Problem(ToolGrantFields.Of(fields).PathGlob) is { } problem) yield return new FieldError("path_glob", problem);
        if (ToolGrantFields.Of(fields).Host is { } host && ApprovalRule.HostProblem(host) is { } bad) yield return new FieldError("host", bad);
    }

    public RecordView View(CodexRecord record) => new ToolGrantView { Grant = grants().Info(record, session.Folders) };
}
