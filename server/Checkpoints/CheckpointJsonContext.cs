using System.Text.Json.Serialization;

namespace Plue.Checkpoints;

/// <summary>The checkpoint logs' line format, and a task worktree's record.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CheckpointEntry))]
[JsonSerializable(typeof(TaskWorktree))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
