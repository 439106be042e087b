using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Plue.Tests.Fakes;

/// <summary>The fake speaks the Messages wire format other tests rely on (docs/PROVIDERS.md, section 1).</summary>
public sealed class FakeAnthropicServerTests
{
    [Fact]
    public async Task Messages_Streaming_SendsEventsInOrderAndRecordsTheRequest()
    {
        await using var fake = ScriptedAnthropicServer.Start();
        fake.Enqueue(new ScriptedReply().WithThinking("hmm", "sig-1").WithText("Hello there").WithToolUse("toolu_1", "Bash", new JsonObject { ["command"] = "ls" }).WithStopReason("tool_use"));
        using var http = new HttpClient();
        using var content = new StringContent("""{"model":"m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");
        content.Headers.Add("x-api-key", "k");
        using var response = await http.PostAsync(fake.BaseUrl + "/v1/messages?beta=true", content);
        var body = await response.Content.ReadAsStringAsync();

        var events = body.Split("\n").Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l[7..]).Distinct().ToList();
        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events);
        Assert.Contains("\"signature_delta\"", body);
        Assert.Contains("\"input_json_delta\"", body);
        Assert.Contains("\"stop_reason\":\"tool_use\"", body);
        var recorded = Assert.Single(fake.Requests);
        Assert.Equal("/v1/messages", recorded.Path);
        Assert.Equal("?beta=true", recorded.Query);
        Assert.Equal("k", recorded.Header("x-api-key"));
        Assert.Equal("hi", (string?)recorded.LastMessage?["content"]);
        Assert.Equal(0, fake.Pending);
    }

    [Fact]
    public async Task Messages_NonStreamingErrorsModelsAndHead_AreAnswered()
    {
        await using var fake = ScriptedAnthropicServer.Start();
        fake.Enqueue(ScriptedReply.Error(401, "authentication_error", "invalid x-api-key"));
        using var http = new HttpClient();

        using var denied = await http.PostAsync(fake.BaseUrl + "/v1/messages", new StringContent("""{"model":"m","messages":[]}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("authentication_error", (string?)JsonNode.Parse(await denied.Content.ReadAsStringAsync())?["error"]?["type"]);

        using var plain = await http.PostAsync(fake.BaseUrl + "/v1/messages", new StringContent("""{"model":"m","messages":[]}"""));
        Assert.Equal("ok", (string?)JsonNode.Parse(await plain.Content.ReadAsStringAsync())?["content"]?[0]?["text"]);

        var models = JsonNode.Parse(await http.GetStringAsync(fake.BaseUrl + "/v1/models"));
        Assert.Equal("claude-fake-1", (string?)models?["data"]?[0]?["id"]);

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, fake.BaseUrl + "/"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(4, fake.Requests.Count);
    }
}
