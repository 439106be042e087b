using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>
/// A record as its feature shows it (its kind's typed view, live state included), told with every change of it in
/// <c>codex/changed</c>: what <c>instances/get</c>, <c>session/get</c>, <c>task/get</c> or an MCP server's record
/// read would return now. <c>kind</c> is the kind's template.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ProviderView), "llm-provider")]
[JsonDerivedType(typeof(ChatView), "ai-chat")]
[JsonDerivedType(typeof(TaskView), "task")]
[JsonDerivedType(typeof(McpServerView), "mcp-server")]
[JsonDerivedType(typeof(ToolGrantView), "tool-grant")]
public abstract record RecordView;
