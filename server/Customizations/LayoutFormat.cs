namespace Plue.Customizations;

/// <summary>How a layout's file is read.</summary>
public enum LayoutFormat
{
    /// <summary>Markdown taken as it is (front matter, if any, is the file's own business).</summary>
    Markdown,
    /// <summary>Markdown whose front matter is checked against the layout's fields.</summary>
    MarkdownFields,
    /// <summary>JSON whose <c>hooks</c> object names commands by agent event (Claude Code's settings, Codex's hooks.json).</summary>
    Hooks,
    /// <summary>JSON naming MCP servers under the layout's key (<c>servers</c> or <c>mcpServers</c>).</summary>
    Mcp,
}
