using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Instances;
using Plue.Providers;

namespace Plue.Bench;

/// <summary>
/// Each HTTP backend's own work per streamed update: 10,000 text deltas in the backend's exact wire format,
/// pre-built and served from memory by a handler (no socket, so what is measured is the client: line splitting,
/// SSE/NDJSON framing, JSON parsing, building ChatResponseUpdates).
/// </summary>
internal static class ProvidersBench
{
    private const int Deltas = 10_000;
    private const int Runs = 15;

    public static async Task RunAsync()
    {
        Console.WriteLine($"providers: {Deltas:N0} text deltas per stream, {Runs} runs after warm-up; µs per delta (target ≤ 10)");
        await MeasureAsync(ProviderTypes.Anthropic, AnthropicBody());
        await MeasureAsync(ProviderTypes.OpenAI, OpenAIBody(), "openai");
        await MeasureAsync(ProviderTypes.OpenRouter, OpenAIBody(openRouter: true), "openrouter");
        await MeasureAsync(ProviderTypes.Ollama, OllamaBody());
    }

    private static async Task MeasureAsync(string type, byte[] body, string? label = null)
    {
        using var http = new HttpClient(new MemoryHandler(body)) { Timeout = Timeout.InfiniteTimeSpan };
        var connection = new ProviderConnection
        {
            InstanceId = "bench", ProviderType = type, CatalogProviderId = type, Endpoint = "http://bench.invalid", ApiKey = "k",
        };
        var client = ProviderClients.Create(connection, http, "bench-model");
        // num_ctx given, so Ollama makes no /api/show call: only the stream is measured.
        var options = new ChatOptions { AdditionalProperties = new() { [ProviderOptionKeys.NumCtx] = 8192 } };
        List<ChatMessage> messages = [new(ChatRole.User, "go")];

        await DrainAsync(client, messages, options); // warm-up (JIT)
        var perDelta = new List<double>();
        var allocated = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var texts = await DrainAsync(client, messages, options);
            clock.Stop();
            allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Deltas);
            if (texts != Deltas) throw new InvalidOperationException($"{type}: {texts} text updates, expected {Deltas}");
            perDelta.Add(clock.Elapsed.TotalMicroseconds / Deltas);
        }
        Console.WriteLine($"  {label ?? type,-11} median {Stats.Percentile(perDelta, 50):F2} µs/delta, p90 {Stats.Percentile(perDelta, 90):F2} µs, "
            + $"{Stats.Percentile(allocated, 50):F0} B allocated/delta, body {body.Length / 1024} KiB");
    }

    private static async Task<int> DrainAsync(IChatClient client, List<ChatMessage> messages, ChatOptions options)
    {
        var texts = 0;
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
            if (update.Contents.Count > 0 && update.Contents[0] is TextContent) texts++;
        return texts;
    }

    private static byte[] AnthropicBody()
    {
        var sb = new StringBuilder();
        sb.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"bench-model\",\"content\":[],\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n");
        sb.Append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (var i = 0; i < Deltas; i++)
            sb.Append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"token ").Append(i).Append("\"}}\n\n");
        sb.Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sb.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":10000}}\n\n");
        sb.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static byte[] OpenAIBody(bool openRouter = false)
    {
        var sb = new StringBuilder();
        if (openRouter) sb.Append(": OPENROUTER PROCESSING\n\n");
        for (var i = 0; i < Deltas; i++)
            sb.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token ")
                .Append(i).Append("\"},\"finish_reason\":null}]}\n\n");
        sb.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        sb.Append("data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":10000,\"total_tokens\":10010}}\n\n");
        sb.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static byte[] OllamaBody()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < Deltas; i++)
            sb.Append("{\"model\":\"bench-model\",\"created_at\":\"2025-01-01T00:00:00.000000Z\",\"message\":{\"role\":\"assistant\",\"content\":\"token ")
                .Append(i).Append("\"},\"done\":false}\n");
        sb.Append("{\"model\":\"bench-model\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":10,\"eval_count\":10000}\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Answers every request with the same body at memory speed.</summary>
    private sealed class MemoryHandler(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream(body, writable: false)), RequestMessage = request });
    }
}
