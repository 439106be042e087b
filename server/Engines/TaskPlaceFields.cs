using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Plue.Codex.Kinds;

namespace Plue.Engines;

/// <summary>Where a task record says it runs (templates/task.json5): <c>runs</c> (local | container) and the <c>engine</c> it names.</summary>
public sealed record TaskPlaceFields
{
    public const string Runs = "runs";
    public const string Engine = "engine";
    public const string Container = "container";

    private static readonly TaskPlaceFieldsJsonContext s_json = new(FieldBinding.Options());

    public static TaskPlaceFields Of(JsonObject fields) => FieldBinding.Bind(fields, s_json.TaskPlaceFields);

    [JsonPropertyName(Runs)] public string? RunsIn { get; init; }
    /// <summary>An engine record's id, reference, slug or name; empty: this machine's engine.</summary>
    [JsonPropertyName(Engine)] public string? EngineName { get; init; }
}

/// <summary>Binds <see cref="TaskPlaceFields"/>; built on <see cref="FieldBinding.Options"/>.</summary>
[JsonSerializable(typeof(TaskPlaceFields))]
internal sealed partial class TaskPlaceFieldsJsonContext : JsonSerializerContext;
