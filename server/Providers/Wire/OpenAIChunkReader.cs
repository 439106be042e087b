using System.Text.Json;

namespace Plue.Providers.Wire;

/// <summary>
/// The common OpenAI stream chunk (text or reasoning deltas, a finish reason) read straight off its bytes: the
/// serializer's general object reader was a tenth of a streamed delta's CPU. What this reader does not expect (tool
/// calls, usage, an error, a value of another type, JSON that does not parse) makes it give up with null, and the
/// caller reads the chunk with the serializer as before: the same record, and for a bad chunk the same error.
/// </summary>
internal static class OpenAIChunkReader
{
    /// <summary>The chunk, or null when the serializer must read it.</summary>
    public static OpenAIChunk? TryRead(ReadOnlySpan<byte> data)
    {
        try
        {
            return Read(data);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    // The reader's defaults are the serializer's: depth 64, no comments, no trailing commas. Names match as the
    // serializer's snake_case names do (exactly); a name it does not know is skipped, as the serializer skips it.
    private static OpenAIChunk? Read(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        var chunk = new OpenAIChunk();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) chunk.Id = String(ref reader);
            else if (reader.ValueTextEquals("model"u8)) chunk.Model = String(ref reader);
            else if (reader.ValueTextEquals("choices"u8)) chunk.Choices = Choices(ref reader);
            else if (reader.ValueTextEquals("usage"u8) || reader.ValueTextEquals("error"u8))
            {
                // OpenAI sends "usage": null in every chunk when usage is asked for; a real one (or an error) is the serializer's.
                if (!reader.Read() || reader.TokenType != JsonTokenType.Null) return null;
            }
            else Skip(ref reader);
        }
        // The serializer refuses anything after the object.
        return reader.TokenType == JsonTokenType.EndObject && !reader.Read() ? chunk : null;
    }

    private static List<OpenAIChoice>? Choices(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException();
        var choices = new List<OpenAIChoice>(1);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var choice = new OpenAIChoice();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    choice.Index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index) ? index : throw new JsonException();
                }
                else if (reader.ValueTextEquals("delta"u8)) choice.Delta = Delta(ref reader);
                else if (reader.ValueTextEquals("finish_reason"u8)) choice.FinishReason = String(ref reader);
                else Skip(ref reader);
            }
            choices.Add(choice);
        }
        return reader.TokenType == JsonTokenType.EndArray ? choices : throw new JsonException();
    }

    private static OpenAIDelta? Delta(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException();
        var delta = new OpenAIDelta();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8)) delta.Content = String(ref reader);
            else if (reader.ValueTextEquals("role"u8)) delta.Role = String(ref reader);
            else if (reader.ValueTextEquals("reasoning"u8)) delta.Reasoning = String(ref reader);
            else if (reader.ValueTextEquals("reasoning_content"u8)) delta.ReasoningContent = String(ref reader);
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                // Tool call fragments are the serializer's to read; an explicit null is none.
                if (!reader.Read() || reader.TokenType != JsonTokenType.Null) throw new JsonException();
                delta.ToolCalls = null;
            }
            else Skip(ref reader);
        }
        return delta;
    }

    /// <summary>The next value, a string or null; any other is the serializer's to refuse.</summary>
    private static string? String(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new JsonException(),
        };
    }

    private static void Skip(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }
}
