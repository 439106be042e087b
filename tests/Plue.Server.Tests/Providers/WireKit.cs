using System.Text;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers;
using Plue.Providers.Bedrock;
using Plue.Tests.Fakes;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>Every HTTP wire's client, replies and framing, for the tests that hold the same of all of them.</summary>
internal static class WireKit
{
    public static TheoryData<string> Wires =>
        [ProviderTypes.OpenAI, ProviderTypes.Azure, ProviderTypes.Google, ProviderTypes.Anthropic, ProviderTypes.Ollama, ProviderTypes.Bedrock];

    public static IChatClient Client(string wire, ProviderConnection connection) => wire switch
    {
        ProviderTypes.OpenAI or ProviderTypes.Azure => new OpenAIChatClient(connection, Http, "gpt-test"),
        ProviderTypes.Google => new GeminiChatClient(connection, Http, "gemini-test"),
        ProviderTypes.Anthropic => new AnthropicChatClient(connection, Http, "m"),
        ProviderTypes.Ollama => new OllamaChatClient(connection, Http, "llama3.2:latest"),
        _ => new BedrockChatClient(connection with { ApiKey = "bedrock-api-key", Credential = CredentialKind.AuthToken }, Http, "m", _ => null),
    };

    public static string ContentType(string wire) => wire switch
    {
        ProviderTypes.Ollama => "application/x-ndjson",
        ProviderTypes.Bedrock => "application/vnd.amazon.eventstream",
        _ => "text/event-stream",
    };

    /// <summary>A whole text reply, one piece of the body per chunk.</summary>
    public static IReadOnlyList<byte[]> TextReply(string wire, params string[] pieces) => wire switch
    {
        ProviderTypes.OpenAI or ProviderTypes.Azure => Utf8(FakeOpenAIServer.TextReply(pieces)),
        ProviderTypes.Google => Utf8(FakeGeminiServer.TextReply(pieces)),
        ProviderTypes.Anthropic => Utf8(FakeAnthropicServer.TextReply(pieces)),
        ProviderTypes.Ollama => Utf8(FakeOllamaServer.TextReply(pieces)),
        _ => FakeBedrockServer.TextReply(pieces),
    };

    /// <summary>A chunk in the wire's framing whose JSON is <paramref name="json"/>.</summary>
    public static byte[] Chunk(string wire, string json) => wire switch
    {
        ProviderTypes.Anthropic => Encoding.UTF8.GetBytes($"event: content_block_delta\ndata: {json}\n\n"),
        ProviderTypes.Ollama => Encoding.UTF8.GetBytes(json + "\n"),
        ProviderTypes.Bedrock => FakeBedrockServer.Event("contentBlockDelta", json),
        _ => Encoding.UTF8.GetBytes($"data: {json}\n\n"),
    };

    /// <summary>Serves every request with <paramref name="response"/>, but Ollama's question for the model's details first.</summary>
    public static Func<RecordedRequest, FakeResponse> Serve(Func<FakeResponse> response) =>
        r => r.Path == "/api/show" ? FakeResponse.Json(200, "{}") : response();

    public static FakeStep Step(byte[] bytes, TimeSpan delay = default) => new("", delay) { Bytes = bytes };

    private static byte[][] Utf8(IEnumerable<string> pieces) => [.. pieces.Select(Encoding.UTF8.GetBytes)];
}
