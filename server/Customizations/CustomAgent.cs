namespace Plue.Customizations;

/// <summary>
/// A used agent file (<c>.claude/agents/*.md</c>, <c>.github/agents/*.agent.md</c>, <c>.github/chatmodes/*.chatmode.md</c>):
/// a chat mode (<c>agent:&lt;name&gt;</c>) and a sub-agent <c>spawn_task</c> starts by name.
/// </summary>
/// <param name="Prompt">The body (front matter left out): the system prompt.</param>
/// <param name="Model">Its <c>model</c> (not <c>inherit</c>): used when the provider instance offers it.</param>
/// <param name="Tools">Plue's tools its <c>tools</c> names; null when it names none (it then has the Agent mode's tools).</param>
/// <param name="McpTools">The MCP tools it names (<c>mcp__server</c>, <c>mcp__server__tool</c>).</param>
/// <param name="Unknown">The names in its <c>tools</c> that are no tool of Plue's: granted nothing, and said.</param>
public sealed record CustomAgent(string Name, string Description, string Source, string Layout, string Prompt, string? Model,
    IReadOnlyList<string>? Tools, IReadOnlyList<string> McpTools, IReadOnlyList<string> Unknown)
{
    /// <summary>What a chat's mode field holds for it.</summary>
    public const string ModePrefix = "agent:";

    /// <summary>The tools of an agent file that names none: the Agent mode's.</summary>
    public static readonly IReadOnlyList<string> AllTools = ["read", "write", "edit", "search", "bash"];

    public string ModeId => ModePrefix + Name;

    /// <summary>Its Plue tools: those it names, or the Agent mode's.</summary>
    public IReadOnlyList<string> Granted => Tools ?? AllTools;

    /// <summary>Its description, then what of its front matter Plue could not take (a tool it does not know) and its model.</summary>
    public string Explained()
    {
        var notes = new List<string> { Layout == CustomizationRecords.Layout ? "a Plue record" : $"from {Path.GetFileName(Source)}" };
        if (Unknown.Count > 0) notes.Add($"not a tool here, so not granted: {string.Join(", ", Unknown)}");
        if (Model is not null) notes.Add($"model {Model} when the provider offers it");
        return $"{Description} ({string.Join("; ", notes)})".TrimStart();
    }
}
