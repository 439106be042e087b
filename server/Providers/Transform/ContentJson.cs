using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Plue.Providers.Transform;

/// <summary>JSON pieces the wire formats share: tool arguments in and out, tool results as text, tool schemas, request bodies, role-and-text messages, stop sequences.</summary>
internal static class ContentJson
{
    private static readonly JsonElement s_emptySchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;

    /// <summary>Writes tool call arguments as a JSON object (the values are JsonElements when they came from a provider).</summary>
    public static void WriteArguments(Utf8JsonWriter writer, IDictionary<string, object?>? arguments)
    {
        writer.WriteStartObject();
        if (arguments is not null)
        {
            foreach (var (name, value) in arguments)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>A request body: one JSON object, whose members <paramref name="writeMembers"/> writes.</summary>
    public static RequestBody Request(Action<Utf8JsonWriter> writeMembers)
    {
        var body = new RequestBody();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }
        return body;
    }

    /// <summary>The same in one array, for what must have it whole (a signature, a token).</summary>
    public static byte[] Body(Action<Utf8JsonWriter> writeMembers) => Request(writeMembers).ToArray();

    /// <summary>
    /// The model, then the opening of the <c>messages</c> array with the instructions as its system message, as OpenAI
    /// and Ollama take them; the caller writes the rest of the messages and closes the array.
    /// </summary>
    public static void StartMessages(Utf8JsonWriter writer, string model, ChatOptions? options)
    {
        writer.WriteString("model", model);
        writer.WriteStartArray("messages");
        if (!string.IsNullOrEmpty(options?.Instructions)) WriteRoleText(writer, "system", options.Instructions);
    }

    /// <summary>
    /// The texts among <paramref name="contents"/> joined, each its own paragraph (the user's words, then each attached
    /// file), or null when there is none. A single text (nearly every message) is returned as it is: a long chat's
    /// request is not preceded by a copy of every message.
    /// </summary>
    public static string? Text(IList<AIContent> contents)
    {
        string? only = null;
        List<string>? many = null;
        foreach (var content in contents)
        {
            if (content is not TextContent { Text: var text }) continue;
            if (only is null) only = text;
            else (many ??= [only]).Add(text);
        }
        return many is null ? only : string.Join("\n\n", many);
    }

    /// <summary>A message that is only a role and its text, <c>{"role": …, "content": …}</c>, as OpenAI and Ollama take it.</summary>
    public static void WriteRoleText(Utf8JsonWriter writer, string role, string content)
    {
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteString("content", content);
        writer.WriteEndObject();
    }

    /// <summary>The stop sequences, when there are any, as an array under the format's own name for them.</summary>
    public static void WriteStopSequences(Utf8JsonWriter writer, string name, ChatOptions? options)
    {
        if (options?.StopSequences is not { Count: > 0 } stops) return;
        writer.WriteStartArray(name);
        foreach (var stop in stops) writer.WriteStringValue(stop);
        writer.WriteEndArray();
    }

    /// <summary>Tool call arguments as the JSON text OpenAI expects in <c>function.arguments</c>.</summary>
    public static string ArgumentsText(IDictionary<string, object?>? arguments)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) WriteArguments(writer, arguments);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses assembled arguments; an empty text is an empty object. Throws JsonException on bad JSON (FunctionCallContent keeps it).</summary>
    public static IDictionary<string, object?> ParseArguments(string json) =>
        string.IsNullOrWhiteSpace(json) ? new Dictionary<string, object?>() : FromObject(JsonDocument.Parse(json).RootElement);

    public static IDictionary<string, object?> FromObject(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new JsonException($"tool arguments must be a JSON object, got {element.ValueKind}");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject()) result[property.Name] = property.Value.Clone();
        return result;
    }

    /// <summary>Builds the content for assembled argument text: parsed at the end, a parse failure kept on the content.</summary>
    public static FunctionCallContent Call(string callId, string name, string argumentsJson) =>
        FunctionCallContent.CreateFromParsedArguments(argumentsJson, callId, name, ParseArguments);

    /// <summary>A tool result as text: strings as they are, anything else as JSON.</summary>
    public static string ResultText(FunctionResultContent result) => result.Result switch
    {
        null => result.Exception?.Message ?? "",
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? "",
        TextContent t => t.Text,
        var other => Compact(other), // AIJsonUtilities' options indent; a writer of our own does not
    };

    private static string Compact(object value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) WriteValue(writer, value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case JsonElement element: element.WriteTo(writer); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            default: JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())); break;
        }
    }

    /// <summary>The declared functions among the options' tools (others, such as hosted tools, have no wire form here).</summary>
    public static IEnumerable<AIFunctionDeclaration> Functions(ChatOptions? options) =>
        options?.Tools?.OfType<AIFunctionDeclaration>() ?? [];

    public static JsonElement Schema(AIFunctionDeclaration function) =>
        function.JsonSchema.ValueKind == JsonValueKind.Object ? function.JsonSchema : s_emptySchema;

    /// <summary>Text of a system message (or of a message whose only parts are text).</summary>
    public static string Text(ChatMessage message) => message.Text;

    public static T? Option<T>(ChatOptions? options, string key) =>
        options?.AdditionalProperties is { } props && props.TryGetValue(key, out T? value) ? value : default;

    /// <summary>
    /// The instructions and every system message joined by blank lines, for formats that take system text apart
    /// from the turns (Anthropic, Gemini, Bedrock).
    /// </summary>
    public static string SystemText(IReadOnlyList<ChatMessage> messages, ChatOptions? options) =>
        string.Join("\n\n", messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text).Prepend(options?.Instructions ?? "").Where(t => t.Length > 0));

    /// <summary>
    /// The turns as <c>{role, [partsName]: [...]}</c> objects, system messages left out, tool results in user turns and
    /// consecutive same-role messages merged, because these formats want turns to alternate.
    /// </summary>
    /// <param name="keep">The format whose parts a <see cref="StoredChatMessage"/> keeps written; null when a part's JSON depends on more than the part.</param>
    public static void WriteTurns(Utf8JsonWriter w, IReadOnlyList<ChatMessage> messages, string assistantRole, string partsName, Action<Utf8JsonWriter, AIContent> writePart,
        WireFormat? keep = null)
    {
        string? open = null;
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System) continue;
            var role = message.Role == ChatRole.Assistant ? assistantRole : "user";
            if (open != role)
            {
                if (open is not null) EndTurn(w);
                w.WriteStartObject();
                w.WriteString("role", role);
                w.WriteStartArray(partsName);
                open = role;
            }
            if (keep is { } format) StoredChatMessage.Write(w, message, format, (writer, m) => WriteParts(writer, m, writePart));
            else WriteParts(w, message, writePart);
        }
        if (open is not null) EndTurn(w);
    }

    private static void WriteParts(Utf8JsonWriter w, ChatMessage message, Action<Utf8JsonWriter, AIContent> writePart)
    {
        foreach (var content in message.Contents) writePart(w, content);
    }

    private static void EndTurn(Utf8JsonWriter w)
    {
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
