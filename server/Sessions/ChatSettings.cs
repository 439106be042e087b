using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Providers;

namespace Plue.Sessions;

/// <summary>
/// A chat's own settings as the options of its turns: temperature, top_p, stop sequences, the reply's length (within
/// the model's output limit) and reasoning effort (in the wire format's own terms, <see cref="ReasoningSettings"/>);
/// what the chat leaves unset, its provider instance's defaults set (<see cref="ModelDefaults"/>).
/// </summary>
public static class ChatSettings
{
    public const string AvailableTools = "available_tools";

    public static void Apply(ChatOptions options, JsonObject fields, ProviderConnection connection, CatalogModel? model)
    {
        var providerType = connection.ProviderType;
        if (Number(fields, "max_output_tokens") is { } max)
            options.MaxOutputTokens = model?.MaxOutput is { } limit ? Math.Min((int)max, limit) : (int)max;
        if (Number(fields, "temperature") is { } temperature) options.Temperature = (float)temperature;
        if (Number(fields, "top_p") is { } topP) options.TopP = (float)topP;
        if (List(fields, "stop_sequences") is { Count: > 0 } stops) options.StopSequences = stops;
        ReasoningSettings.Apply(options, providerType, fields["reasoning_effort"]?.GetValue<string>(), model);
        connection.Defaults.ApplyTo(options, providerType, model);
    }

    /// <summary>The tools the chat was given; none unless the user turned them on.</summary>
    public static List<string> Tools(JsonObject fields) => List(fields, AvailableTools);

    private static double? Number(JsonObject fields, string name) => fields[name] is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;

    private static List<string> List(JsonObject fields, string name) =>
        [.. (fields[name] as JsonArray ?? []).OfType<JsonValue>().Select(v => v.GetValue<string>()).Where(s => s.Length > 0)];
}
