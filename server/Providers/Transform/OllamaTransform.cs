using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Plue.Providers.Transform;

/// <summary>ChatMessages and ChatOptions to an Ollama <c>/api/chat</c> request body: the one place for this format's quirks.</summary>
internal static class OllamaTransform
{
    public static RequestBody BuildRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, string model, int? numCtx, bool stream)
    {
        return ContentJson.Request(w =>
        {
            ContentJson.StartMessages(w, model, options);
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var message in messages) WriteMessage(w, message, names);
            w.WriteEndArray();
            OpenAITransform.WriteTools(w, options, withChoice: false);
            if (ContentJson.Option<bool?>(options, ProviderOptionKeys.Think) is { } think) w.WriteBoolean("think", think);
            w.WriteBoolean("stream", stream);
            // Ollama silently truncates the prompt at its small default context unless num_ctx is set.
            w.WriteStartObject("options");
            if (numCtx is { } ctx) w.WriteNumber("num_ctx", ctx);
            if (options?.MaxOutputTokens is { } max) w.WriteNumber("num_predict", max);
            if (options?.Temperature is { } t) w.WriteNumber("temperature", t);
            if (options?.TopP is { } p) w.WriteNumber("top_p", p);
            if (options?.TopK is { } k) w.WriteNumber("top_k", k);
            if (options?.Seed is { } seed) w.WriteNumber("seed", seed);
            ContentJson.WriteStopSequences(w, "stop", options);
            w.WriteEndObject();
        });
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message, Dictionary<string, string> names)
    {
        foreach (var result in message.Contents.OfType<FunctionResultContent>())
        {
            // Ollama matches results to calls by tool_name, not by id.
            w.WriteStartObject();
            w.WriteString("role", "tool");
            w.WriteString("content", ContentJson.ResultText(result));
            if (names.TryGetValue(result.CallId, out var name)) w.WriteString("tool_name", name);
            w.WriteEndObject();
        }
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        var text = ContentJson.Text(message.Contents) ?? "";
        var images = message.Contents.OfType<DataContent>().Where(d => d.HasTopLevelMediaType("image")).ToList();
        if (text.Length == 0 && calls.Count == 0 && images.Count == 0 && message.Contents.Any(c => c is FunctionResultContent)) return;
        w.WriteStartObject();
        w.WriteString("role", message.Role == ChatRole.System ? "system" : message.Role == ChatRole.Assistant ? "assistant" : "user");
        w.WriteString("content", text);
        if (images.Count > 0)
        {
            w.WriteStartArray("images");
            foreach (var image in images) w.WriteStringValue(image.Base64Data.Span);
            w.WriteEndArray();
        }
        if (calls.Count > 0)
        {
            w.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                names[call.CallId] = call.Name;
                w.WriteStartObject();
                w.WriteStartObject("function");
                w.WriteString("name", call.Name);
                w.WritePropertyName("arguments");
                ContentJson.WriteArguments(w, call.Arguments); // an object, not a string as in OpenAI
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
