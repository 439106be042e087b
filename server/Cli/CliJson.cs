using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Plue.Cli;

/// <summary><c>--json</c>: the contract's own wire shapes (camelCase, as <c>docs/PROTOCOL.md</c> describes them), indented.</summary>
internal static class CliJson
{
    private static readonly JsonWriterOptions s_options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write<T>(TextWriter output, T value, JsonTypeInfo<T> type) => Write(output, Value(value, type));

    /// <summary>An object of several contract values, e.g. <c>{session, message}</c>.</summary>
    public static void Write(TextWriter output, params (string Name, Action<Utf8JsonWriter> Value)[] properties) =>
        Write(output, w =>
        {
            w.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                w.WritePropertyName(name);
                value(w);
            }
            w.WriteEndObject();
        });

    /// <summary>A contract value for <see cref="Write(TextWriter, ValueTuple{string, Action{Utf8JsonWriter}}[])"/>.</summary>
    public static Action<Utf8JsonWriter> Value<T>(T value, JsonTypeInfo<T> type) => w => JsonSerializer.Serialize(w, value, type);

    private static void Write(TextWriter output, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_options)) body(writer);
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        output.Flush();
    }
}
