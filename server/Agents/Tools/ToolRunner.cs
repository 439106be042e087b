using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Plue.Agents.Tools;

/// <summary>
/// The one door through which a task's tool calls pass: refuses tools outside the grant,
/// asks the user (<c>permission/request</c>) for those that change things, then runs them.
/// INTERIM (tasks branch): runs granted tools without asking, until the agent tools work (branch tools) replaces this file.
/// </summary>
public sealed class ToolRunner(IEnumerable<IAgentTool> tools, Plue.Sidecar.SidecarSession? session = null)
{
    private readonly Dictionary<string, IAgentTool> _tools = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The tools the model is offered: only those the grant allows.</summary>
    public IReadOnlyList<AIFunctionDeclaration> Declarations(ToolGrant grant) =>
        [.. _tools.Values.Where(t => grant.Allowed.Contains(t.Name))
            .Select(t => AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.InputSchema))];

    /// <summary>Runs one call; a refusal or failure comes back as an error result the model reads.</summary>
    public Task<ToolResult> RunAsync(ToolGrant grant, string name, JsonElement input, CancellationToken cancellationToken)
    {
        if (!grant.Allowed.Contains(name) || !_tools.TryGetValue(name, out var tool)) return Task.FromResult(ToolResult.Error($"The tool '{name}' is not allowed for this task."));
        var context = new ToolContext { TaskId = grant.TaskId, WorkspaceFolders = session?.WorkspaceFolders ?? [], BashTimeoutMs = grant.BashTimeoutMs };
        return tool.RunAsync(input, context, cancellationToken);
    }
}
