using System.Text;
using Plue.Catalog;
using Plue.Providers;
using Plue.Tests.Fakes;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>
/// A server that trickles (one byte every 2 s after the first words) must not hold a turn: past the instance's stall
/// timeout the answer ends with what arrived kept, as an unreachable endpoint whose message names the instance and the
/// setting to raise. On every HTTP wire.
/// </summary>
public sealed class StallTimeoutTests
{
    private const int TrickledBytes = 5;
    private static readonly TimeSpan s_byteGap = TimeSpan.FromSeconds(2);

    public static TheoryData<string> Wires => WireKit.Wires;

    [Theory]
    [MemberData(nameof(Wires))]
    public async Task Trickle_SlowerThanTheStallTimeout_EndsTheAnswerAsUnreachable_KeepingWhatArrived(string wire)
    {
        await using var server = new LoopbackHttpServer();
        server.Handler = WireKit.Serve(() => Trickle(WireKit.ContentType(wire), WireKit.TextReply(wire, "partial ", "end")));
        var client = WireKit.Client(wire, Connection(wire, server.Url) with { InstanceName = "Trickling server", StallTimeoutMs = 1_000, MaxAttempts = 1 });

        var (updates, error) = await DrainFailingAsync(client);

        // Without a stall timeout the trickle would finish the answer (10 s later) and nothing would be thrown.
        Assert.Equal("partial ", Text(updates));
        Assert.Equal(ProviderErrorKind.Unreachable, error.Kind);
        Assert.StartsWith("No complete chunk for 1 s from Trickling server in the middle of its answer; what arrived is kept.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Raise its stall timeout in its settings or try again.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Wires))]
    public async Task Trickle_FasterThanTheStallTimeoutButNeverAWholeEvent_EndsAsAStall(string wire)
    {
        // A byte every 0.4 s, well inside the 1 s stall timeout, for 4 s: no event completes in that time (issue 46).
        await using var server = new LoopbackHttpServer();
        server.Handler = WireKit.Serve(() => Trickle(WireKit.ContentType(wire), WireKit.TextReply(wire, "partial ", "end"), 10, TimeSpan.FromMilliseconds(400)));
        var client = WireKit.Client(wire, Connection(wire, server.Url) with { InstanceName = "Trickling server", StallTimeoutMs = 1_000, MaxAttempts = 1 });

        var (updates, error) = await DrainFailingAsync(client);

        // Re-armed by every read, the timeout never fired: the answer finished as "partial end" and nothing was thrown.
        Assert.Equal("partial ", Text(updates));
        Assert.Equal(ProviderErrorKind.Unreachable, error.Kind);
        Assert.StartsWith("No complete chunk for 1 s from Trickling server in the middle of its answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trickle_WithinTheStallTimeout_IsAnAnswer()
    {
        await using var server = new LoopbackHttpServer();
        server.Handler = WireKit.Serve(() => Trickle("text/event-stream", WireKit.TextReply(ProviderTypes.OpenAI, "partial ", "end")));
        // The next whole event comes 10 s after the last (5 bytes, 2 s apart): within a 30 s stall timeout.
        var client = WireKit.Client(ProviderTypes.OpenAI, Connection(ProviderTypes.OpenAI, server.Url) with { StallTimeoutMs = 30_000 });

        var (_, folded) = await DrainAsync(client, Hello());

        Assert.Equal("partial end", folded.Text);
    }

    [Fact]
    public async Task AReaderSlowerThanTheStallTimeout_IsNoStall_WhenTheServerIsPrompt()
    {
        // The server sends every event at once; the answer's reader takes 1.5 s over each, past the 1 s stall timeout.
        // Only waits for bytes count: a timeout left running while the reader worked cancelled the next read.
        await using var server = new LoopbackHttpServer();
        server.Handler = WireKit.Serve(() => new FakeResponse
        {
            ContentType = "text/event-stream",
            Steps = [.. WireKit.TextReply(ProviderTypes.OpenAI, "one ", "two").Select(p => WireKit.Step(p, TimeSpan.FromMilliseconds(20)))],
        });
        var client = WireKit.Client(ProviderTypes.OpenAI, Connection(ProviderTypes.OpenAI, server.Url) with { StallTimeoutMs = 1_000, MaxAttempts = 1 });

        var text = new StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync(Hello()))
        {
            text.Append(update.Text);
            await Task.Delay(1_500);
        }

        Assert.Equal("one two", text.ToString());
    }

    [Fact]
    public async Task KeepAliveComments_Only_EndTheAnswerAtTheAnswerTimeLimit_SayingWhichLimit()
    {
        // "partial ", then a keep-alive comment every 100 ms for 10 s: no stall (30 s), but a 1.5 s answer time limit.
        await using var server = new LoopbackHttpServer();
        server.Handler = WireKit.Serve(() => KeptAlive(100));
        var client = WireKit.Client(ProviderTypes.OpenAI, Connection(ProviderTypes.OpenAI, server.Url) with
        {
            InstanceName = "Chatty server", StallTimeoutMs = 30_000, AnswerTimeoutMs = 1_500, MaxAttempts = 1,
        });

        var (updates, error) = await DrainFailingAsync(client);

        Assert.Equal("partial ", Text(updates));
        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.StartsWith("The answer from Chatty server took longer than its answer time limit of 1.5 s; what arrived is kept.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Raise the answer time limit in its settings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepAliveComments_CountAsSilence_ForTheStallTimeout()
    {
        // The same comments with a 1 s stall timeout: they are no event, so the stall ends the answer (before, each one
        // started the stall timeout again and the answer ran its 10 s).
        await using var server = new LoopbackHttpServer();
        server.Handler = WireKit.Serve(() => KeptAlive(100));
        var client = WireKit.Client(ProviderTypes.OpenAI, Connection(ProviderTypes.OpenAI, server.Url) with { InstanceName = "Chatty server", StallTimeoutMs = 1_000, MaxAttempts = 1 });

        var (updates, error) = await DrainFailingAsync(client);

        Assert.Equal("partial ", Text(updates));
        Assert.Equal(ProviderErrorKind.Unreachable, error.Kind);
        Assert.StartsWith("No complete chunk for 1 s from Chatty server", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An OpenAI stream's "partial " event, then 100 keep-alive comments <paramref name="gapMs"/> apart, then the rest.</summary>
    private static FakeResponse KeptAlive(int gapMs)
    {
        var pieces = WireKit.TextReply(ProviderTypes.OpenAI, "partial ", "end");
        var split = pieces.ToList().FindIndex(p => Encoding.UTF8.GetString(p).Contains("partial ", StringComparison.Ordinal)) + 1;
        return new FakeResponse
        {
            ContentType = "text/event-stream",
            Steps =
            [
                .. pieces.Take(split).Select(p => WireKit.Step(p)),
                .. Enumerable.Range(0, 100).Select(_ => WireKit.Step(": keep-alive\n\n"u8.ToArray(), TimeSpan.FromMilliseconds(gapMs))),
                .. pieces.Skip(split).Select(p => WireKit.Step(p)),
            ],
        };
    }

    /// <summary>The reply up to its "partial " piece at once, then <see cref="TrickledBytes"/> bytes one every 2 s, then the rest.</summary>
    internal static FakeResponse Trickle(string contentType, IReadOnlyList<byte[]> pieces) => Trickle(contentType, pieces, TrickledBytes, s_byteGap);

    /// <summary>The reply up to its "partial " piece at once, then <paramref name="bytes"/> bytes one every <paramref name="gap"/>, then the rest.</summary>
    internal static FakeResponse Trickle(string contentType, IReadOnlyList<byte[]> pieces, int bytes, TimeSpan gap)
    {
        var split = pieces.ToList().FindIndex(p => Encoding.UTF8.GetString(p).Contains("partial ", StringComparison.Ordinal)) + 1;
        var rest = pieces.Skip(split).SelectMany(p => p).ToArray();
        return new FakeResponse
        {
            ContentType = contentType,
            Steps =
            [
                .. pieces.Take(split).Select(p => WireKit.Step(p)),
                .. rest.Take(bytes).Select(b => WireKit.Step([b], gap)),
                WireKit.Step(rest[bytes..]),
            ],
        };
    }
}
