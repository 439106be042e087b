using System.Text.Json.Serialization;

namespace Plue.Instances;

/// <summary>Binds <see cref="ProviderRecordFields"/>; built on <see cref="Codex.Kinds.FieldBinding.Options"/>.</summary>
[JsonSerializable(typeof(ProviderRecordFields))]
internal sealed partial class ProviderFieldsJsonContext : JsonSerializerContext;
