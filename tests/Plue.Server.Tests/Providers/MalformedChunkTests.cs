using System.Text;
using Plue.Catalog;
using Plue.Providers;
using Plue.Tests.Fakes;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>
/// A chunk a wire's format does not allow ends the answer on every wire the same way: "sent a malformed chunk: …" in
/// words (never the JSON library's), what arrived before it kept.
/// </summary>
public sealed class MalformedChunkTests
{
    public static TheoryData<string> Wires => WireKit.Wires;

    [Theory]
    [MemberData(nameof(Wires))]
    public async Task BrokenJson_MidAnswer_IsAMalformedChunk_InWords_KeepingTheText(string wire)
    {
        var (updates, error) = await DrainAfterPartialAsync(wire, "{not json");

        Assert.Equal("partial ", Text(updates));
        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.StartsWith("fake sent a malformed chunk: an object that is not valid JSON ({not json). The answer stopped there; what arrived is kept.",
            error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Wires))]
    public async Task AnArray_WhereAnObjectBelongs_IsAMalformedChunk(string wire)
    {
        var (updates, error) = await DrainAfterPartialAsync(wire, "[1,2]");

        Assert.Equal("partial ", Text(updates));
        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.Contains("sent a malformed chunk: an array where an object belongs ([1,2])", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProviderTypes.Bedrock, "\"text\"", "a string where an object belongs (\"text\")")]
    [InlineData(ProviderTypes.Bedrock, "true", "a boolean where an object belongs (true)")]
    [InlineData(ProviderTypes.Bedrock, "-12", "a number where an object belongs (-12)")]
    [InlineData(ProviderTypes.Bedrock, "nope", "text that is not JSON (nope)")]
    [InlineData(ProviderTypes.Bedrock, "  ", "an empty payload where an object belongs")]
    [InlineData(ProviderTypes.OpenAI, "{\"choices\":\"x\"}", "a value of the wrong type at $.choices")]
    public async Task OtherValues_WhereAnObjectBelongs_AreNamedForWhatTheyAre(string wire, string json, string named)
    {
        var (updates, error) = await DrainAfterPartialAsync(wire, json);

        Assert.Equal("partial ", Text(updates));
        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.Contains("sent a malformed chunk: " + named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongChunk_IsQuotedOnlyByItsStart()
    {
        var (_, error) = await DrainAfterPartialAsync(ProviderTypes.Bedrock, new string('x', 130));

        Assert.Contains($"sent a malformed chunk: text that is not JSON ({new string('x', 120)}…)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The reply's pieces up to "partial ", then a chunk holding <paramref name="json"/>, then the rest.</summary>
    private static async Task<(List<Microsoft.Extensions.AI.ChatResponseUpdate> Updates, ProviderException Error)> DrainAfterPartialAsync(string wire, string json)
    {
        await using var server = new LoopbackHttpServer();
        var pieces = WireKit.TextReply(wire, "partial ", "end").ToList();
        var split = pieces.FindIndex(p => Encoding.UTF8.GetString(p).Contains("partial ", StringComparison.Ordinal)) + 1;
        pieces.Insert(split, WireKit.Chunk(wire, json));
        server.Handler = WireKit.Serve(() => new FakeResponse { ContentType = WireKit.ContentType(wire), Steps = [.. pieces.Select(p => WireKit.Step(p))] });
        return await DrainFailingAsync(WireKit.Client(wire, Connection(wire, server.Url) with { MaxAttempts = 1 }));
    }
}
