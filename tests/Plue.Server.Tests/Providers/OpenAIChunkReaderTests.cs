using System.Text;
using System.Text.Json;
using Plue.Providers.Wire;

namespace Plue.Tests.Providers;

/// <summary>
/// The OpenAI chunk's fast reader gives the serializer's record for every chunk it takes, and gives up (null) on
/// every chunk it does not, so the serializer reads those as before: the same record, the same errors.
/// </summary>
public sealed class OpenAIChunkReaderTests
{
    public static TheoryData<string> Taken =>
    [
        """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}]}""",
        """{"id":"x","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}""",
        """{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""",
        """{"choices":[{"delta":{"reasoning":"think","reasoning_content":null,"tool_calls":null,"refusal":null}}]}""",
        """{"choices":[{"delta":{"reasoning_content":"deep"}},{"index":1,"delta":{"content":"second"}}]}""",
        """ {"id":null,"model":null,"choices":null} """,
        """{"choices":[]}""",
        """{"error":null,"choices":[]}""",
        """{"choices":[{"delta":null,"finish_reason":"length"}]}""",
        // Escapes, non-ASCII text, an escaped name, nested values to skip, a duplicate (the last wins, as in the serializer).
        """{"choices":[{"delta":{"content":"a\"b\\c\n\u00e9 \ud83d\ude00 ü"}}],"provider":{"name":["x",{"y":1}]}}""",
        """{"\u0069d":"escaped name","choices":[{"delta":{"content":"one","content":"two"}}]}""",
        """{"Id":"other case is another name","choices":[{"delta":{"Content":"skipped"}}]}""",
        """{"choices":[{"index":0,"delta":{"content":"x"},"native_finish_reason":"stop","finish_reason":"stop"}],"system_fingerprint":"fp"}""",
    ];

    public static TheoryData<string> LeftToTheSerializer =>
    [
        """{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":"{}"}}]}}]}""",
        """{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}}""",
        """{"error":{"message":"overloaded"}}""",
        """{"choices":[{"index":"0","delta":{"content":"x"}}]}""", // a number as a string: the serializer reads it
        """{"choices":[{"index":99999999999,"delta":{}}]}""",
        """{"choices":"x"}""",
        """{"choices":[null]}""",
        """{"choices":[{"delta":{"content":5}}]}""",
        """{"id":["x"]}""",
        """{not json""",
        """[1,2]""",
        """null""",
        "",
        """{"choices":[]} {"choices":[]}""",
        """{"choices":[],}""",
        """{"choices":[{"delta":{"content":"x"}}]""",
    ];

    [Theory]
    [MemberData(nameof(Taken))]
    public void AChunkItTakes_IsTheSerializersRecord(string json)
    {
        var fast = OpenAIChunkReader.TryRead(Encoding.UTF8.GetBytes(json));

        Assert.NotNull(fast);
        var serializer = JsonSerializer.Deserialize(json, ProvidersJsonContext.Default.OpenAIChunk);
        Assert.Equal(Json(serializer), Json(fast));
    }

    [Theory]
    [MemberData(nameof(LeftToTheSerializer))]
    public void AChunkItDoesNotTake_IsLeftToTheSerializer(string json)
    {
        Assert.Null(OpenAIChunkReader.TryRead(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void TheRecordReadsBackWhatWasSent()
    {
        var chunk = OpenAIChunkReader.TryRead("""{"id":"r1","model":"m","choices":[{"index":2,"delta":{"role":"assistant","content":"Hello","reasoning":"why"},"finish_reason":"stop"}]}"""u8);

        Assert.NotNull(chunk);
        Assert.Equal(("r1", "m"), (chunk.Id, chunk.Model));
        var choice = Assert.Single(chunk.Choices!);
        Assert.Equal((2, "stop"), (choice.Index, choice.FinishReason));
        Assert.Equal(("assistant", "Hello", "why", null), (choice.Delta!.Role, choice.Delta.Content, choice.Delta.Reasoning, choice.Delta.ReasoningContent));
    }

    private static string Json(OpenAIChunk? chunk) => JsonSerializer.Serialize(chunk, ProvidersJsonContext.Default.OpenAIChunk);
}
