using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Plue.Providers.Transform;

/// <summary>ChatMessages and ChatOptions to an Anthropic Messages request body: the one place for this format's quirks.</summary>
internal static class AnthropicTransform
{
    /// <summary>Anthropic requires max_tokens; used when neither the options nor the model give one.</summary>
    public const int DefaultMaxTokens = 8192;

    /// <param name="bodyVersion">On a cloud (Vertex AI), the <c>anthropic_version</c> written instead of the model, which is in the URL.</param>
    public static RequestBody BuildRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, string model, bool stream, string? bodyVersion = null)
    {
        return ContentJson.Request(w =>
        {
            if (bodyVersion is null) w.WriteString("model", model);
            else w.WriteString("anthropic_version", bodyVersion);
            w.WriteNumber("max_tokens", options?.MaxOutputTokens ?? DefaultMaxTokens);

            // System text is a top-level field, not a message: gather system messages and Instructions there.
            var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
            var system = ContentJson.SystemText(list, options);
            if (system.Length > 0) w.WriteString("system", system);

            w.WriteStartArray("messages");
            ContentJson.WriteTurns(w, list, "assistant", "content", WriteBlock, WireFormat.Anthropic);
            w.WriteEndArray();

            WriteTools(w, options);
            if (ContentJson.Option<int?>(options, ProviderOptionKeys.ThinkingBudgetTokens) is { } budget)
            {
                w.WriteStartObject("thinking");
                w.WriteString("type", "enabled");
                w.WriteNumber("budget_tokens", budget);
                w.WriteEndObject();
            }
            else
            {
                // Anthropic rejects temperature/top_p/top_k together with thinking.
                if (options?.Temperature is { } t) w.WriteNumber("temperature", t);
                if (options?.TopP is { } p) w.WriteNumber("top_p", p);
                if (options?.TopK is { } k) w.WriteNumber("top_k", k);
            }
            ContentJson.WriteStopSequences(w, "stop_sequences", options);
            if (stream) w.WriteBoolean("stream", true);
        });
    }

    private static void WriteBlock(Utf8JsonWriter w, AIContent content)
    {
        switch (content)
        {
            case TextContent { Text.Length: > 0 } text:
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", text.Text);
                w.WriteEndObject();
                break;
            case TextReasoningContent reasoning when reasoning.AdditionalProperties?.ContainsKey(ProviderOptionKeys.RedactedThinking) == true:
                w.WriteStartObject();
                w.WriteString("type", "redacted_thinking");
                w.WriteString("data", reasoning.ProtectedData);
                w.WriteEndObject();
                break;
            // Thinking without its signature is refused by the API, so unsigned reasoning (from another provider) is dropped.
            case TextReasoningContent { ProtectedData.Length: > 0 } reasoning:
                w.WriteStartObject();
                w.WriteString("type", "thinking");
                w.WriteString("thinking", reasoning.Text);
                w.WriteString("signature", reasoning.ProtectedData);
                w.WriteEndObject();
                break;
            case FunctionCallContent call:
                w.WriteStartObject();
                w.WriteString("type", "tool_use");
                w.WriteString("id", call.CallId);
                w.WriteString("name", call.Name);
                w.WritePropertyName("input");
                ContentJson.WriteArguments(w, call.Arguments);
                w.WriteEndObject();
                break;
            case FunctionResultContent result:
                w.WriteStartObject();
                w.WriteString("type", "tool_result");
                w.WriteString("tool_use_id", result.CallId);
                w.WriteString("content", ContentJson.ResultText(result));
                if (result.Exception is not null) w.WriteBoolean("is_error", true);
                w.WriteEndObject();
                break;
            case DataContent data when data.HasTopLevelMediaType("image"):
                w.WriteStartObject();
                w.WriteString("type", "image");
                w.WriteStartObject("source");
                w.WriteString("type", "base64");
                w.WriteString("media_type", data.MediaType);
                w.WriteString("data", data.Base64Data.Span);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
        }
    }

    private static void WriteTools(Utf8JsonWriter w, ChatOptions? options)
    {
        var any = false;
        foreach (var function in ContentJson.Functions(options))
        {
            if (!any) w.WriteStartArray("tools");
            any = true;
            w.WriteStartObject();
            w.WriteString("name", function.Name);
            if (!string.IsNullOrEmpty(function.Description)) w.WriteString("description", function.Description);
            w.WritePropertyName("input_schema");
            ContentJson.Schema(function).WriteTo(w);
            w.WriteEndObject();
        }
        if (!any) return;
        w.WriteEndArray();
        switch (options?.ToolMode)
        {
            case NoneChatToolMode:
                w.WriteStartObject("tool_choice");
                w.WriteString("type", "none");
                w.WriteEndObject();
                break;
            case RequiredChatToolMode required:
                w.WriteStartObject("tool_choice");
                if (required.RequiredFunctionName is { } name)
                {
                    w.WriteString("type", "tool");
                    w.WriteString("name", name);
                }
                else w.WriteString("type", "any");
                w.WriteEndObject();
                break;
        }
    }
}
