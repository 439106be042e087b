namespace Plue.Agents.Mcp;

/// <summary>An MCP server that cannot be used as configured; the message says which and what to fix, never a secret.</summary>
public sealed class McpException(string message, Exception? inner = null) : Exception(message, inner);
