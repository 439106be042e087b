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
        var chat = ChatRecordFields.Of(fields);
        if (chat.MaxOutputTokens is { } max)
            options.MaxOutputTokens = model?.MaxOutput is { } limit ? Math.Min(max, limit) : max;
        if (chat.Temperature is { } temperature) options.Temperature = (float)temperature;
        if (chat.TopP is { } topP) options.TopP = (float)topP;
        if (chat.StopSequences is { Count: > 0 } stops) options.StopSequences = [.. stops];
        ReasoningSettings.Apply(options, providerType, chat.ReasoningEffort, model);
        connection.Defaults.ApplyTo(options, providerType, model);
    }

    /// <summary>The tools the chat was given; none unless the user turned them on.</summary>
    public static IReadOnlyList<string> Tools(JsonObject fields) => ChatRecordFields.Of(fields).AvailableTools;
}
