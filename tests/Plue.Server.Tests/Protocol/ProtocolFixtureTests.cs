using System.Text.Json.Nodes;
using Plue.Tests.Support;

namespace Plue.Tests.Protocol;

/// <summary>Each golden exchange in tests/fixtures/protocol, against the production host.</summary>
public sealed class ProtocolFixtureTests
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

        if (fixture["initialized"]?.GetValue<bool>() != false)
        {
            var init = new JsonObject
            {
                ["jsonrpc"] = "2.0", ["id"] = "setup", ["method"] = "initialize",
                ["params"] = new JsonObject { ["initializationOptions"] = new JsonObject { ["plueHome"] = home.Path } },
            };
            await sidecar.SendAsync(init.ToJsonString());
            Assert.True((await sidecar.ReceiveAsync()).ContainsKey("result"));
        }
        await sidecar.SendAsync(fixture["request"]!.ToJsonString());

        var answer = await sidecar.ReceiveAsync();
        if (JsonShape.Mismatch(fixture["response"], answer) is { } mismatch) Assert.Fail(mismatch);
    }
}
