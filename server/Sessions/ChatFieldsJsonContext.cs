using System.Text.Json.Serialization;

namespace Plue.Sessions;

/// <summary>Binds <see cref="ChatRecordFields"/>; built on <see cref="Codex.Kinds.FieldBinding.Options"/>.</summary>
[JsonSerializable(typeof(ChatRecordFields))]
internal sealed partial class ChatFieldsJsonContext : JsonSerializerContext;
