using System.Text.Json;
using Plue.Customizations;

namespace Plue.Agents.Tools;

/// <summary>
/// <c>skill</c>: loads a used skill's instructions (its <c>SKILL.md</c> body) by name, and names its folder for its
/// other files (read with <c>read</c>). The system prompt carries only each skill's name and description
/// (docs/CUSTOMIZATIONS.md, Skills); nothing of a skill runs on load: its scripts run only through the approved shell.
/// Granted with <c>read</c>.
/// </summary>
public sealed class SkillTool(CustomizationRegistry customizations) : IAgentTool
{
    public const string ToolName = "skill";

    private static readonly JsonElement s_schema = ToolSchema.Object(
        [new("name", "string", "The skill's name, as the system prompt lists it.", Required: true)]);

    public string Name => ToolName;
    public string Description => "Loads a skill's instructions by its name (the system prompt lists the skills with their descriptions). Load one when the task matches its description, then follow it.";
    public JsonElement InputSchema => s_schema;
    public bool AsksApproval => false;

    public Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var name = ToolInput.RequiredText(input, "name").Trim().TrimStart('/');
        var skills = customizations.Skills;
        var skill = skills.FirstOrDefault(s => s.Name == name)
            ?? throw new ToolException(skills.Count == 0 ? "There are no skills here." : $"There is no skill '{name}'; the skills are: {string.Join(", ", skills.Select(s => s.Name))}.");
        string body;
        try
        {
            body = skill.Body();
        }
        catch (Exception e) when (e is Codex.Content.ContentFileException or FrontMatterException or IOException)
        {
            throw new ToolException($"The skill '{name}' cannot be read now ({e.Message}); go on without it.");
        }
        if (skill.Text is not null) return Task.FromResult(new ToolResult($"<skill name=\"{skill.Name}\">\n{body}\n</skill>\nIt is a Plue record: it has no other files."));
        var folder = context.WorkspaceFolders.Select(f => Path.GetRelativePath(f, skill.Folder)).FirstOrDefault(r => !r.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(r));
        var where = folder is not null
            ? $"Its folder is {folder.Replace('\\', '/')}: read its other files with read, as {folder.Replace('\\', '/')}/<file>."
            : $"Its folder is {skill.Folder}, outside the workspace: its other files cannot be read with read.";
        return Task.FromResult(new ToolResult($"<skill name=\"{skill.Name}\">\n{body}\n</skill>\n{where}"));
    }
}
