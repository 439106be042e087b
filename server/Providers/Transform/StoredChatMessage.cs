using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Plue.Providers.Transform;

/// <summary>
/// A message of a stored transcript, made once and sent at every turn after: it keeps its JSON as a wire format
/// wrote it the first time, so a long chat's request copies the history's bytes instead of writing every message
/// again. Never changed once made: a message changed in the store is read as a new one, and makes a new one of these.
/// Only user and assistant turns (text, images, files, reasoning) are made so.
/// </summary>
public sealed class StoredChatMessage(ChatRole role, IList<AIContent> contents) : ChatMessage(role, contents)
{
    private readonly byte[][]?[] _json = new byte[][]?[Enum.GetValues<WireFormat>().Length];

    /// <summary>
    /// Writes <paramref name="message"/> in <paramref name="format"/> as <paramref name="write"/> does: a stored message's
    /// JSON is written the first time and copied after; any other message is written afresh.
    /// </summary>
    internal static void Write(Utf8JsonWriter w, ChatMessage message, WireFormat format, Action<Utf8JsonWriter, ChatMessage> write)
    {
        if (message is not StoredChatMessage stored)
        {
            write(w, message);
            return;
        }
        foreach (var value in stored._json[(int)format] ??= Write(stored, write)) w.WriteRawValue(value, skipInputValidation: true);
    }

    /// <summary>Writes the values into an array, then keeps each element's bytes: the writer allows one root value only.</summary>
    private static byte[][] Write(ChatMessage message, Action<Utf8JsonWriter, ChatMessage> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            write(writer, message);
            writer.WriteEndArray();
        }
        var values = new List<byte[]>();
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            values.Add(buffer.WrittenSpan[start..(int)reader.BytesConsumed].ToArray());
        }
        return [.. values];
    }
}

/// <summary>The request formats whose message JSON a <see cref="StoredChatMessage"/> keeps.</summary>
internal enum WireFormat
{
    OpenAI,
    Anthropic,
}
