namespace Plue.Protocol;

/// <summary>
/// The server read clearly fewer prompt tokens than were sent: it dropped the start of the prompt (the goal and the
/// instructions go first) without an error, as Ollama does past its context length. On the answer's step.
/// </summary>
public sealed record PromptTruncation
{
    /// <summary>About how many prompt tokens were sent (about four characters a token).</summary>
    public required long SentTokens { get; init; }
    /// <summary>How many the server says it read (Ollama's <c>prompt_eval_count</c>, OpenAI's <c>usage.prompt_tokens</c>).</summary>
    public required long ReadTokens { get; init; }
    /// <summary>What happened and what to change, in words for the user.</summary>
    public required string Message { get; init; }
}
