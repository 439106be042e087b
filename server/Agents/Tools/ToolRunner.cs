using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Plue.Agents.Tools;

/// <summary>
/// The one door through which a task's tool calls pass: refuses tools outside the grant,
/// asks the user (<c>permission/request</c>) for those that change things, then runs them.
/// </summary>
public sealed class ToolRunner(IEnumerable<IAgentTool> tools)
{
    private readonly Dictionary<string, IAgentTool> _tools = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The tools the model is offered: only those the grant allows.</summary>
    public IReadOnlyList<AIFunctionDeclaration> Declarations(ToolGrant grant) =>
        [.. _tools.Values.Where(t => grant.Allowed.Contains(t.Name))
            .Select(t => AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.InputSchema))];

    /// <summary>Runs one call; a refusal or failure comes back as an error result the model reads.</summary>
    public Task<ToolResult> RunAsync(ToolGrant grant, string name, JsonElement input, CancellationToken cancellationToken) =>
        throw new NotImplementedException("contract only: the agent tools work fills this in");
}
