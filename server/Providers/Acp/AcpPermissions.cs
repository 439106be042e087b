using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Acp;
using Plue.Providers.ClaudeCode;

namespace Plue.Providers.Acp;

/// <summary>
/// An agent's <c>session/request_permission</c> as one of Plue's tool approvals, and the user's answer as the option
/// the agent offered. The call's ACP kind names the tool the approval is asked under (read, edit, search, bash: the
/// claude CLI's names, which the approvals map to Plue's tools), so a chat or task grants an agent what it grants its
/// own tools; its title is the reason the card shows.
/// </summary>
internal static class AcpPermissions
{
    private static readonly JsonElement s_noInput = JsonDocument.Parse("{}").RootElement.Clone();

    public static readonly AcpRequestPermissionResponse Cancelled = new() { Outcome = new AcpPermissionOutcome { Outcome = "cancelled" } };

    /// <param name="toldKind">The call's kind from its earlier updates, when the question does not repeat it.</param>
    public static ToolApprovalRequest Request(string conversationId, AcpRequestPermissionRequest request, string? toldKind) => new()
    {
        SessionId = conversationId,
        Tool = ToolOf(request.ToolCall.Kind ?? toldKind),
        Input = Element(request.ToolCall.RawInput),
        ToolUseId = request.ToolCall.ToolCallId,
        Reason = request.ToolCall.Title,
    };

    /// <summary>The offered option of the answer's kind (allow once, always, reject); none fitting cancels.</summary>
    public static AcpRequestPermissionResponse Answer(IReadOnlyList<AcpPermissionOption> options, ToolApprovalBehavior behavior)
    {
        string[] kinds = behavior switch
        {
            ToolApprovalBehavior.Allow => ["allow_once", "allow_always"],
            ToolApprovalBehavior.AllowAlways => ["allow_always", "allow_once"],
            _ => ["reject_once", "reject_always"],
        };
        var chosen = kinds.Select(k => options.FirstOrDefault(o => o.Kind == k)).FirstOrDefault(o => o is not null);
        return chosen is null ? Cancelled : new() { Outcome = new AcpPermissionOutcome { Outcome = "selected", OptionId = chosen.OptionId } };
    }

    private static string ToolOf(string? kind) => kind switch
    {
        "read" => "Read",
        "edit" or "delete" or "move" => "Edit",
        "search" => "Grep",
        "execute" => "Bash",
        "fetch" => "WebFetch",
        _ => kind ?? "other",
    };

    public static JsonElement Element(JsonNode? node)
    {
        if (node is null) return s_noInput;
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}
