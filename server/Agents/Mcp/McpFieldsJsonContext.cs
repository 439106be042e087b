using System.Text.Json.Serialization;

namespace Plue.Agents.Mcp;

/// <summary>Binds <see cref="McpServerRecordFields"/>; built on <see cref="Codex.Kinds.FieldBinding.Options"/>.</summary>
[JsonSerializable(typeof(McpServerRecordFields))]
internal sealed partial class McpFieldsJsonContext : JsonSerializerContext;
