using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
        var text = (await File.ReadAllTextAsync(RepoPaths.Fixtures("protocol", file))).Replace("<home>", home.Path, StringComparison.Ordinal);
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
        foreach (var setup in fixture["setup"]?.AsArray() ?? [])
        {
            await sidecar.SendAsync(Resolve(setup!));
            var answer = await AnswerAsync(sidecar);
            Assert.True(answer.ContainsKey("result"), $"setup failed: {answer.ToJsonString()}");
            results.Add(answer["result"]);
        }
        await sidecar.SendAsync(Resolve(fixture["request"]!));

        var response = await AnswerAsync(sidecar);
        if (JsonShape.Mismatch(fixture["response"], response) is { } mismatch) Assert.Fail(mismatch);
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
