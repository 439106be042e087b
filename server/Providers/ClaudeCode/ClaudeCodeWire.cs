using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// The JSON lines plue writes to the CLI's stdin (stream-json input and the control protocol), built with
/// <see cref="Utf8JsonWriter"/>: no reflection. Shapes checked against claude 2.1.x (see ClaudeCodeProcessTests).
/// </summary>
internal static class ClaudeCodeWire
{
    /// <summary><c>{"type":"user","session_id":"","message":{"role":"user","content":"..."},"parent_tool_use_id":null}</c>.</summary>
    public static string UserMessage(string text) => Write(w =>
    {
        w.WriteString("type", "user");
        w.WriteString("session_id", "");
        w.WriteStartObject("message");
        w.WriteString("role", "user");
        w.WriteString("content", text);
        w.WriteEndObject();
        w.WriteNull("parent_tool_use_id");
    });

    /// <summary><c>{"type":"control_request","request_id":id,"request":{"subtype":subtype}}</c>.</summary>
    public static string ControlRequest(string id, string subtype) => Write(w =>
    {
        w.WriteString("type", "control_request");
        w.WriteString("request_id", id);
        w.WriteStartObject("request");
        w.WriteString("subtype", subtype);
        w.WriteEndObject();
    });

    /// <summary><c>{"type":"control_response","response":{"subtype":"success","request_id":id,"response":{...}}}</c>.</summary>
    public static string ControlSuccess(string id, string responseJson) => Write(w =>
    {
        w.WriteString("type", "control_response");
        w.WriteStartObject("response");
        w.WriteString("subtype", "success");
        w.WriteString("request_id", id);
        w.WritePropertyName("response");
        w.WriteRawValue(responseJson);
        w.WriteEndObject();
    });

    /// <summary><c>{"type":"control_response","response":{"subtype":"error","request_id":id,"error":message}}</c>.</summary>
    public static string ControlError(string id, string message) => Write(w =>
    {
        w.WriteString("type", "control_response");
        w.WriteStartObject("response");
        w.WriteString("subtype", "error");
        w.WriteString("request_id", id);
        w.WriteString("error", message);
        w.WriteEndObject();
    });

    /// <summary>The can_use_tool answer that lets the tool run: <c>{"behavior":"allow","updatedInput":input}</c>.</summary>
    public static string Allow(JsonElement input) => Write(w =>
    {
        w.WriteString("behavior", "allow");
        w.WritePropertyName("updatedInput");
        input.WriteTo(w);
    });

    /// <summary>The can_use_tool answer that refuses: <c>{"behavior":"deny","message":message}</c>; the model sees the message as the tool's error.</summary>
    public static string Deny(string message) => Write(w =>
    {
        w.WriteString("behavior", "deny");
        w.WriteString("message", message);
    });

    public static string? TypeOf(JsonElement message) => String(message, "type");

    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
