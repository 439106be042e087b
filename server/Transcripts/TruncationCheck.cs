using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Providers;

namespace Plue.Transcripts;

/// <summary>
/// Compares the prompt tokens a server says it read with an estimate of what was sent. A server past its context
/// length (Ollama's OpenAI route caps it at 4,096 unless told otherwise) drops the start of the prompt without an error;
/// the answer then forgets the goal and the instructions, and only this comparison shows why.
/// </summary>
internal static class TruncationCheck
{
    /// <summary>Below this many tokens sent no server truncates; the estimate's error would be all there is.</summary>
    private const long MinSentTokens = 512;

    /// <summary>The notice for an answer whose server read under half the estimate (no tokenizer reads 8 characters a token), else null.</summary>
    public static PromptTruncation? Of(IEnumerable<ChatMessage> sent, string? instructions, TokenUsage reported, ProviderConnection connection)
    {
        var read = reported.Input;
        if (read <= 0 || reported.Estimated) return null; // a server that reports no prompt count says nothing
        var estimated = UsageEstimate.Of(sent, 0).Input + (instructions?.Length ?? 0) / 4;
        if (estimated < MinSentTokens || read * 2 >= estimated) return null;
        return new PromptTruncation { SentTokens = estimated, ReadTokens = read, Message = Message(read, estimated, connection) };
    }

    private static string Message(long read, long sent, ProviderConnection connection) =>
        $"{connection.InstanceName ?? connection.InstanceId} read only {Count(read)} of the about {Count(sent)} prompt tokens sent: it dropped the start of "
        + "the conversation (the goal and the instructions) without an error. Raise the server's context length to at least "
        + $"{Round(sent)} tokens (Ollama: num_ctx or OLLAMA_CONTEXT_LENGTH; llama.cpp: --ctx-size; LM Studio: the model's context length), "
        + $"or set the instance's context window to what the server holds (about {Count(read)}) so that Plue compacts the conversation before it is cut.";

    /// <summary>A window worth setting: the estimate with a quarter to spare for the answer, rounded up to 1,024.</summary>
    private static string Round(long sent) => Count((sent * 5 / 4 + 1023) / 1024 * 1024);

    private static string Count(long tokens) => tokens.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
