using Microsoft.Extensions.AI;
using Plue.Instances;
using Plue.Providers;

namespace Plue.Tests.Providers;

/// <summary>Connections with short timeouts for loopback fakes, and helpers that drain and fold a stream.</summary>
internal static class ProviderTestKit
{
    public const string Key = "sk-test-SECRET-1234567890";

    public static HttpClient Http { get; } = ProviderClients.CreateHttpClient();

    public static ProviderConnection Connection(string type, string endpoint, string catalogId = "fake", int maxAttempts = 3, int baseDelayMs = 10,
        int firstByteMs = 5_000, int idleMs = 5_000) => new()
    {
        InstanceId = "inst-" + type,
        ProviderType = type,
        CatalogProviderId = catalogId,
        Endpoint = endpoint,
        ApiKey = Key,
        MaxAttempts = maxAttempts,
        BaseDelayMs = baseDelayMs,
        FirstByteTimeoutMs = firstByteMs,
        TimeoutMs = idleMs,
        StallTimeoutMs = idleMs,
    };

    public static List<ChatMessage> Hello() => [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi")];

    /// <summary>Every update, and what folding them gives.</summary>
    public static async Task<(List<ChatResponseUpdate> Updates, ChatResponse Folded)> DrainAsync(IChatClient client, IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken)) updates.Add(update);
        return (updates, updates.ToChatResponse());
    }

    /// <summary>Drains until the stream throws; returns what arrived before and the error.</summary>
    public static async Task<(List<ChatResponseUpdate> Updates, ProviderException Error)> DrainFailingAsync(IChatClient client, IEnumerable<ChatMessage>? messages = null,
        ChatOptions? options = null)
    {
        var updates = new List<ChatResponseUpdate>();
        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(messages ?? Hello(), options)) updates.Add(update);
        });
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        return (updates, error);
    }

    public static UsageDetails UsageOf(IEnumerable<ChatResponseUpdate> updates) =>
        updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single().Details;

    public static long Extra(UsageDetails usage, string key) => usage.AdditionalCounts![key];

    public static string Text(IEnumerable<ChatResponseUpdate> updates) =>
        string.Concat(updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text));

    public static AIFunctionDeclaration Tool(string name) =>
        AIFunctionFactory.CreateDeclaration(name, "test tool " + name,
            System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"path":{"type":"string"}}}""").RootElement);
}
