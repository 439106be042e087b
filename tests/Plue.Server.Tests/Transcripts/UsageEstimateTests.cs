using Microsoft.Extensions.AI;
using Plue.Transcripts;

namespace Plue.Tests.Transcripts;

/// <summary>The usage guessed for a reply whose provider never reported it: what was sent and streamed, about four characters a token.</summary>
public sealed class UsageEstimateTests
{
    [Fact]
    public void Of_CountsTextReasoningToolCallsAndResults_NotImages_RoundedUpToTokens()
    {
        List<ChatMessage> sent =
        [
            new(ChatRole.User, [new TextContent("abcd"), new TextContent(null), new DataContent(new byte[4096], "image/png")]),
            new(ChatRole.Assistant,
            [
                new TextReasoningContent("12345678"), new TextReasoningContent(null),
                new FunctionCallContent("c1", "read", new Dictionary<string, object?> { ["path"] = "a.txt", ["n"] = null }),
                new FunctionCallContent("c2", "list"),
            ]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "file text"), new FunctionResultContent("c2", null)]),
        ];

        var usage = UsageEstimate.Of(sent, streamedChars: 9);

        // 4 text + 8 reasoning + (4 "read" + 4 "path" + 5 "a.txt" + 1 "n") + 4 "list" + 9 result = 39 characters: 10 tokens.
        Assert.Equal((10L, 3L, true), (usage.Input, usage.Output, usage.Estimated));
    }
}
