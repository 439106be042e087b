using System.Text.Json.Serialization;

namespace Plue.Sessions;

/// <summary>Binds <see cref="ChatRecordFields"/> and <see cref="ModeRecordFields"/>; built on <see cref="Codex.Kinds.FieldBinding.Options"/>.</summary>
[JsonSerializable(typeof(ChatRecordFields))]
[JsonSerializable(typeof(ModeRecordFields))]
internal sealed partial class ChatFieldsJsonContext : JsonSerializerContext;
