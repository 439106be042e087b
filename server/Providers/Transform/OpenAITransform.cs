using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Plue.Providers.Transform;

/// <summary>ChatMessages and ChatOptions to an OpenAI Chat Completions request body: the one place for this format's quirks.</summary>
internal static class OpenAITransform
{
    public static RequestBody BuildRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, string model, OpenAICompatibleProfile profile, bool stream)
    {
        return ContentJson.Request(w =>
        {
            ContentJson.StartMessages(w, model, options);
            foreach (var message in messages) StoredChatMessage.Write(w, message, WireFormat.OpenAI, WriteMessage);
            w.WriteEndArray();
            if (options?.MaxOutputTokens is { } max) w.WriteNumber(profile.UsesMaxCompletionTokens ? "max_completion_tokens" : "max_tokens", max);
            if (options?.Temperature is { } t) w.WriteNumber("temperature", t);
            if (options?.TopP is { } p) w.WriteNumber("top_p", p);
            if (options?.Seed is { } seed) w.WriteNumber("seed", seed);
            ContentJson.WriteStopSequences(w, "stop", options);
            if (ContentJson.Option<string>(options, ProviderOptionKeys.ReasoningEffort) is { } effort) w.WriteString("reasoning_effort", effort);
            WriteTools(w, options);
            if (stream)
            {
                w.WriteBoolean("stream", true);
                // Without it there is no usage at all in a stream.
                w.WriteStartObject("stream_options");
                w.WriteBoolean("include_usage", true);
                w.WriteEndObject();
            }
        });
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message)
    {
        if (message.Role == ChatRole.System)
        {
            ContentJson.WriteRoleText(w, "system", message.Text);
            return;
        }
        if (message.Role == ChatRole.Assistant)
        {
            WriteAssistant(w, message);
            return;
        }
        // Each tool result is its own role:"tool" message; any other parts of the same message follow as a user message.
        var hasImage = false;
        foreach (var content in message.Contents)
        {
            if (content is DataContent) hasImage = true;
            if (content is not FunctionResultContent result) continue;
            w.WriteStartObject();
            w.WriteString("role", "tool");
            w.WriteString("tool_call_id", result.CallId);
            w.WriteString("content", ContentJson.ResultText(result));
            w.WriteEndObject();
        }
        if (!hasImage)
        {
            // Text only, the common case: one string, written without joining copies of the texts.
            if (ContentJson.Text(message.Contents) is { } only) ContentJson.WriteRoleText(w, "user", only);
            return;
        }
        w.WriteStartObject();
        w.WriteString("role", "user");
        w.WriteStartArray("content");
        foreach (var part in message.Contents)
        {
            if (part is TextContent text)
            {
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", text.Text);
                w.WriteEndObject();
            }
            else if (part is DataContent data)
            {
                w.WriteStartObject();
                w.WriteString("type", "image_url");
                w.WriteStartObject("image_url");
                w.WriteString("url", data.Uri);
                w.WriteEndObject();
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteAssistant(Utf8JsonWriter w, ChatMessage message)
    {
        w.WriteStartObject();
        w.WriteString("role", "assistant");
        // Reasoning is not sent back: OpenAI has no field for it and DeepSeek rejects reasoning_content in input.
        var text = ContentJson.Text(message.Contents) ?? "";
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        // content: null (not "") beside tool calls, as OpenAI itself sends it; some servers reject an empty string.
        if (text.Length > 0 || calls.Count == 0) w.WriteString("content", text);
        else w.WriteNull("content");
        if (calls.Count > 0)
        {
            w.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                w.WriteStartObject();
                w.WriteString("id", call.CallId);
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", call.Name);
                w.WriteString("arguments", ContentJson.ArgumentsText(call.Arguments));
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>The <c>tools</c> array (shared with Ollama, which takes the same shape) and tool_choice.</summary>
    public static void WriteTools(Utf8JsonWriter w, ChatOptions? options, bool withChoice = true)
    {
        var any = false;
        foreach (var function in ContentJson.Functions(options))
        {
            if (!any) w.WriteStartArray("tools");
            any = true;
            w.WriteStartObject();
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", function.Name);
            if (!string.IsNullOrEmpty(function.Description)) w.WriteString("description", function.Description);
            w.WritePropertyName("parameters");
            ContentJson.Schema(function).WriteTo(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        if (!any) return;
        w.WriteEndArray();
        if (!withChoice) return;
        switch (options?.ToolMode)
        {
            case NoneChatToolMode: w.WriteString("tool_choice", "none"); break;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                w.WriteStartObject("tool_choice");
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", name);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case RequiredChatToolMode: w.WriteString("tool_choice", "required"); break;
        }
    }
}
