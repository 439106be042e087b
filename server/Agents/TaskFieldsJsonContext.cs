using System.Text.Json.Serialization;

namespace Plue.Agents;

/// <summary>Binds <see cref="TaskRecordFields"/>; built on <see cref="Codex.Kinds.FieldBinding.Options"/>.</summary>
[JsonSerializable(typeof(TaskRecordFields))]
internal sealed partial class TaskFieldsJsonContext : JsonSerializerContext;
