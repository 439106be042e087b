using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Plue.Providers.Transform;

/// <summary>ChatMessages and ChatOptions to a Bedrock Converse request body: the one place for this format's quirks.</summary>
internal static class BedrockTransform
{
    public static byte[] BuildRequest(IEnumerable<ChatMessage> messages, ChatOptions? options) => ContentJson.Body(w =>
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        if (ContentJson.SystemText(list, options) is { Length: > 0 } system)
        {
            w.WriteStartArray("system");
            Text(w, system);
            w.WriteEndArray();
        }
        w.WriteStartArray("messages");
        ContentJson.WriteTurns(w, list, "assistant", "content", WriteBlock);
        w.WriteEndArray();

        w.WriteStartObject("inferenceConfig");
        if (options?.MaxOutputTokens is { } max) w.WriteNumber("maxTokens", max);
        if (options?.Temperature is { } t) w.WriteNumber("temperature", t);
        if (options?.TopP is { } p) w.WriteNumber("topP", p);
        ContentJson.WriteStopSequences(w, "stopSequences", options);
        w.WriteEndObject();
        WriteTools(w, options);
        // Fields Converse has no name for go to the model as they are: Claude's extended thinking.
        if (ContentJson.Option<int?>(options, ProviderOptionKeys.ThinkingBudgetTokens) is { } budget)
        {
            w.WriteStartObject("additionalModelRequestFields");
            w.WriteStartObject("thinking");
            w.WriteString("type", "enabled");
            w.WriteNumber("budget_tokens", budget);
            w.WriteEndObject();
            w.WriteEndObject();
        }
    });

    private static void Text(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static void WriteBlock(Utf8JsonWriter w, AIContent content)
    {
        switch (content)
        {
            case TextContent { Text.Length: > 0 } text:
                Text(w, text.Text);
                break;
            // Reasoning without its signature is refused, so unsigned reasoning (from another provider) is dropped.
            case TextReasoningContent { ProtectedData.Length: > 0 } reasoning:
                w.WriteStartObject();
                w.WriteStartObject("reasoningContent");
                w.WriteStartObject("reasoningText");
                w.WriteString("text", reasoning.Text);
                w.WriteString("signature", reasoning.ProtectedData);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case FunctionCallContent call:
                w.WriteStartObject();
                w.WriteStartObject("toolUse");
                w.WriteString("toolUseId", call.CallId);
                w.WriteString("name", call.Name);
                w.WritePropertyName("input");
                ContentJson.WriteArguments(w, call.Arguments);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case FunctionResultContent result:
                w.WriteStartObject();
                w.WriteStartObject("toolResult");
                w.WriteString("toolUseId", result.CallId);
                w.WriteStartArray("content");
                Text(w, ContentJson.ResultText(result));
                w.WriteEndArray();
                if (result.Exception is not null) w.WriteString("status", "error");
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case DataContent data when data.HasTopLevelMediaType("image"):
                w.WriteStartObject();
                w.WriteStartObject("image");
                w.WriteString("format", data.MediaType["image/".Length..]);
                w.WriteStartObject("source");
                w.WriteString("bytes", data.Base64Data.Span);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                break;
        }
    }

    private static void WriteTools(Utf8JsonWriter w, ChatOptions? options)
    {
        var functions = ContentJson.Functions(options).ToList();
        // Converse refuses toolChoice "none": with tools off, none are sent.
        if (functions.Count == 0 || options?.ToolMode is NoneChatToolMode) return;
        w.WriteStartObject("toolConfig");
        w.WriteStartArray("tools");
        foreach (var function in functions)
        {
            w.WriteStartObject();
            w.WriteStartObject("toolSpec");
            w.WriteString("name", function.Name);
            if (!string.IsNullOrEmpty(function.Description)) w.WriteString("description", function.Description);
            w.WriteStartObject("inputSchema");
            w.WritePropertyName("json");
            ContentJson.Schema(function).WriteTo(w);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (options?.ToolMode is RequiredChatToolMode required)
        {
            w.WriteStartObject("toolChoice");
            if (required.RequiredFunctionName is { } name)
            {
                w.WriteStartObject("tool");
                w.WriteString("name", name);
                w.WriteEndObject();
            }
            else
            {
                w.WriteStartObject("any");
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
