namespace Plue.Tests.Fakes;

/// <summary>Which server a <see cref="FakeOpenAIServer"/> imitates.</summary>
public enum OpenAIFlavor
{
    /// <summary>api.openai.com: fragments by index, usage in a final <c>choices: []</c> chunk.</summary>
    Plain,
    /// <summary>OpenRouter: SSE comment lines (<c>: OPENROUTER PROCESSING</c>), int error codes, errors as data after a 200.</summary>
    OpenRouter,
    /// <summary>Ollama's /v1: whole tool calls in one chunk, finish_reason in its own empty-delta chunk.</summary>
    OllamaV1,
}
