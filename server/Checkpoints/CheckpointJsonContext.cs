using System.Text.Json.Serialization;

namespace Plue.Checkpoints;

/// <summary>The checkpoint logs' line format.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CheckpointEntry))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
