using Microsoft.Extensions.AI;
using Plue.Protocol;

namespace Plue.Transcripts;

/// <summary>
/// Token counts guessed from text, for a reply the provider never reported usage for (stopped or cut mid-stream): about
/// four characters a token, the usual rule of thumb for English and code. Marked <see cref="TokenUsage.Estimated"/>.
/// </summary>
internal static class UsageEstimate
{
    private const int CharsPerToken = 4;

    public static TokenUsage Of(IEnumerable<ChatMessage> sent, long streamedChars) => Of(SentChars(sent), streamedChars);

    public static TokenUsage Of(long sentChars, long streamedChars) => new()
    {
        Input = Tokens(sentChars),
        Output = Tokens(streamedChars),
        Estimated = true,
    };

    public static long SentChars(IEnumerable<ChatMessage> sent) => sent.Sum(m => m.Contents.Sum(Chars));

    private static long Tokens(long chars) => (chars + CharsPerToken - 1) / CharsPerToken;

    public static long Chars(AIContent content) => content switch
    {
        TextContent text => text.Text.Length, // Text is never null: M.E.AI gives "" for none
        TextReasoningContent reasoning => reasoning.Text.Length,
        FunctionCallContent call => call.Name.Length + (call.Arguments?.Sum(a => a.Key.Length + (a.Value?.ToString()?.Length ?? 0)) ?? 0),
        FunctionResultContent result => result.Result?.ToString()?.Length ?? 0,
        _ => 0,
    };
}
