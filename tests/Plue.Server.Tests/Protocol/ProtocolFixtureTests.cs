using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Protocol;

/// <summary>Each golden exchange in tests/fixtures/protocol, against the production host.</summary>
public sealed partial class ProtocolFixtureTests
{
    public static TheoryData<string> Fixtures() =>
        new(Directory.GetFiles(RepoPaths.Fixtures("protocol"), "*.json").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Fixture_RealHost_AnswersAsRecorded(string file)
    {
        using var home = new TempDir();
        var text = await File.ReadAllTextAsync(RepoPaths.Fixtures("protocol", file));
        await using var provider = Provider(JsonNode.Parse(text)!["fakeOpenAI"]?.GetValue<string>());
        text = text.Replace("<home>", home.Path, StringComparison.Ordinal).Replace("<fakeOpenAI>", provider?.Endpoint ?? "<fakeOpenAI>", StringComparison.Ordinal);
        var fixture = JsonNode.Parse(text)!.AsObject();
        await using var sidecar = new InProcessSidecar();
        await sidecar.StartAsync();

        // "homeFiles" ({name: base64}) are written into PLUE_HOME before the sidecar starts, e.g. a vault made with another key.
        foreach (var (name, content) in fixture["homeFiles"]?.AsObject() ?? [])
            await File.WriteAllBytesAsync(Path.Combine(home.Path, name), Convert.FromBase64String(content!.GetValue<string>()));

        if (fixture["initialized"]?.GetValue<bool>() != false)
        {
            // "initializationOptions" add to (or replace) the plueHome the runner sends.
            var options = fixture["initializationOptions"]?.DeepClone().AsObject() ?? [];
            options["plueHome"] ??= home.Path;
            var init = new JsonObject
            {
                ["jsonrpc"] = "2.0", ["id"] = "setup", ["method"] = "initialize",
                ["params"] = new JsonObject { ["initializationOptions"] = options },
            };
            await sidecar.SendAsync(init.ToJsonString());
            Assert.True((await sidecar.ReceiveAsync()).ContainsKey("result"));
        }

        // Setup requests run first; "<setupN.member>" (in the request or a later setup) stands for a member of setup N's result.
        var results = new List<JsonNode?>();
        string Resolve(JsonNode message) => SetupReference().Replace(message.ToJsonString(s_raw),
            m => results[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]![m.Groups[2].Value]!.GetValue<string>());
        // A setup with "until" is sent again until its result has those members (a task that ran to its end).
        foreach (var setup in fixture["setup"]?.AsArray() ?? [])
        {
            var until = setup!["until"]?.AsObject();
            setup.AsObject().Remove("until");
            JsonObject answer;
            for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(100))
            {
                await sidecar.SendAsync(Resolve(setup));
                answer = await AnswerAsync(sidecar);
                Assert.True(answer.ContainsKey("result"), $"setup failed: {answer.ToJsonString()}");
                if (until is null || until.All(m => JsonNode.DeepEquals(m.Value, answer["result"]![m.Key]))) break;
                Assert.True(DateTime.UtcNow < deadline, $"setup never reached {until.ToJsonString()}: {answer["result"]!.ToJsonString()}");
            }
            results.Add(answer["result"]);
        }
        await sidecar.SendAsync(Resolve(fixture["request"]!));

        var response = await AnswerAsync(sidecar);
        if (JsonShape.Mismatch(fixture["response"], response) is { } mismatch) Assert.Fail(mismatch);
    }

    /// <summary>The fixture's provider (README: "fakeOpenAI"): every chat answered "Done.", or held until the client leaves.</summary>
    private static FakeOpenAIServer? Provider(string? mode)
    {
        if (mode is null) return null;
        var fake = new FakeOpenAIServer();
        fake.Models.Clear();
        fake.Models.Add("gpt-5-mini");
        var reply = mode == "holds"
            ? new FakeResponse { ContentType = "text/event-stream", HoldOpen = true }
            : FakeResponse.Stream("text/event-stream", [FakeOpenAIServer.Role(), FakeOpenAIServer.Content("Done."), FakeOpenAIServer.Finish("stop"), FakeOpenAIServer.Usage(2000, 2), FakeOpenAIServer.Done()]);
        var models = fake.Http.Handler;
        fake.Http.Handler = request => request.Method == "POST" ? reply : models(request);
        return fake;
    }

    /// <summary>The next answer; notifications sent meanwhile (task/updated after task/start) are not part of the exchange.</summary>
    private static async Task<JsonObject> AnswerAsync(InProcessSidecar sidecar)
    {
        while (true)
        {
            var message = await sidecar.ReceiveAsync();
            if (message["method"] is null || message["id"] is not null) return message;
        }
    }

    // Unescaped, so "<setup0.id>" stays findable in the request text.
    private static readonly System.Text.Json.JsonSerializerOptions s_raw = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex("<setup(\\d+)\\.(\\w+)>")]
    private static partial Regex SetupReference();
}
