using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Plue.Providers.Transform;

/// <summary>ChatMessages and ChatOptions to a Gemini <c>generateContent</c> request body: the one place for this format's quirks.</summary>
internal static class GeminiTransform
{
    /// <summary>Key on a FunctionCallContent's AdditionalProperties: the thought signature Gemini sent with the call, to send back.</summary>
    public const string ThoughtSignature = "gemini_thought_signature";

    public static RequestBody BuildRequest(IEnumerable<ChatMessage> messages, ChatOptions? options) => ContentJson.Request(w =>
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        // System text is systemInstruction, not a content; Gemini has no system role.
        var system = ContentJson.SystemText(list, options);
        if (system.Length > 0)
        {
            w.WriteStartObject("systemInstruction");
            w.WriteStartArray("parts");
            WriteText(w, system);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteStartArray("contents");
        WriteContents(w, list);
        w.WriteEndArray();
        WriteTools(w, options);
        WriteGenerationConfig(w, options);
    });

    private static void WriteContents(Utf8JsonWriter w, IReadOnlyList<ChatMessage> messages)
    {
        // A functionResponse names its function, not its call: the names come from the calls earlier in the history.
        var callNames = messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
            .GroupBy(c => c.CallId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        ContentJson.WriteTurns(w, messages, "model", "parts", (writer, content) => WritePart(writer, content, callNames));
    }

    private static void WriteText(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static void WritePart(Utf8JsonWriter w, AIContent content, IReadOnlyDictionary<string, string> callNames)
    {
        switch (content)
        {
            case TextContent { Text.Length: > 0 } text:
                WriteText(w, text.Text);
                break;
            // Thought summaries are not sent back: Gemini rebuilds its thinking from the signatures on the calls.
            case FunctionCallContent call:
                w.WriteStartObject();
                w.WriteStartObject("functionCall");
                w.WriteString("name", call.Name);
                w.WritePropertyName("args");
                ContentJson.WriteArguments(w, call.Arguments);
                w.WriteEndObject();
                if (call.AdditionalProperties?.TryGetValue(ThoughtSignature, out var signature) == true && signature is string s)
                    w.WriteString("thoughtSignature", s);
                w.WriteEndObject();
                break;
            case FunctionResultContent result:
                w.WriteStartObject();
                w.WriteStartObject("functionResponse");
                w.WriteString("name", callNames.GetValueOrDefault(result.CallId, result.CallId));
                w.WriteStartObject("response");
                w.WriteString(result.Exception is null ? "result" : "error", ContentJson.ResultText(result));
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case DataContent data when data.HasTopLevelMediaType("image") || data.MediaType == "application/pdf":
                w.WriteStartObject();
                w.WriteStartObject("inlineData");
                w.WriteString("mimeType", data.MediaType);
                w.WriteString("data", data.Base64Data.Span);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
        }
    }

    private static void WriteTools(Utf8JsonWriter w, ChatOptions? options)
    {
        var functions = ContentJson.Functions(options).ToList();
        if (functions.Count == 0) return;
        w.WriteStartArray("tools");
        w.WriteStartObject();
        w.WriteStartArray("functionDeclarations");
        foreach (var function in functions)
        {
            w.WriteStartObject();
            w.WriteString("name", function.Name);
            if (!string.IsNullOrEmpty(function.Description)) w.WriteString("description", function.Description);
            // parametersJsonSchema takes full JSON Schema; "parameters" takes only an OpenAPI subset that MCP schemas break.
            w.WritePropertyName("parametersJsonSchema");
            ContentJson.Schema(function).WriteTo(w);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        var (mode, only) = options?.ToolMode switch
        {
            NoneChatToolMode => ("NONE", null),
            RequiredChatToolMode required => ("ANY", required.RequiredFunctionName),
            _ => ((string?)null, (string?)null),
        };
        if (mode is null) return;
        w.WriteStartObject("toolConfig");
        w.WriteStartObject("functionCallingConfig");
        w.WriteString("mode", mode);
        if (only is not null)
        {
            w.WriteStartArray("allowedFunctionNames");
            w.WriteStringValue(only);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteGenerationConfig(Utf8JsonWriter w, ChatOptions? options)
    {
        var budget = ContentJson.Option<int?>(options, ProviderOptionKeys.ThinkingBudgetTokens);
        var level = ContentJson.Option<string>(options, ProviderOptionKeys.ReasoningEffort);
        w.WriteStartObject("generationConfig");
        if (options?.Temperature is { } t) w.WriteNumber("temperature", t);
        if (options?.TopP is { } p) w.WriteNumber("topP", p);
        if (options?.TopK is { } k) w.WriteNumber("topK", k);
        if (options?.MaxOutputTokens is { } max) w.WriteNumber("maxOutputTokens", max);
        ContentJson.WriteStopSequences(w, "stopSequences", options);
        if (budget is not null || level is not null)
        {
            // Gemini 2.5 takes a token budget, Gemini 3 a level; either way the summaries come back as thought parts.
            w.WriteStartObject("thinkingConfig");
            w.WriteBoolean("includeThoughts", true);
            if (budget is { } b) w.WriteNumber("thinkingBudget", b);
            else w.WriteString("thinkingLevel", level);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
