namespace Plue.Agents.Tools;

/// <summary>A tool call that cannot be done as asked; the message goes to the model as the error result, as is.</summary>
public sealed class ToolException(string message, Exception? inner = null) : Exception(message, inner);
