using System.Runtime;
using Plue.Sidecar;
using Plue.Tests.Fakes;
using Plue.Tests.Sessions;
using Plue.Tests.Support;

namespace Plue.Tests.Rpc;

/// <summary>The tests of the start's hold on collections run alone: the hold is the whole process's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StartGcCollection
{
    public const string Name = "start-gc";
}

/// <summary>
/// No collection of the heap from the answer to initialize until a cold start's first delta is written: the hold starts,
/// ends at the first delta (or its time, or its room used up), and never throws.
/// </summary>
[Collection(StartGcCollection.Name)]
public sealed class StartGcTests : IDisposable
{
    public void Dispose() => StartGc.Release();

    [Fact]
    public void Held_NoCollectionCanStart_UntilReleased_ThenReleasingAgainDoesNothing()
    {
        StartGc.Hold(TimeSpan.FromMinutes(1));

        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.True(StartGc.Release());
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.False(StartGc.Release());
    }

    [Fact]
    public void ASecondHold_AndAReleaseOnceItsRoomIsUsedUp_ThrowNothing()
    {
        StartGc.Hold(TimeSpan.FromMinutes(1));
        StartGc.Hold(TimeSpan.FromMinutes(1)); // the runtime refuses a second: nothing thrown

        // More than its room: the runtime ends the hold itself, with a collection.
        var before = GC.CollectionCount(0);
        var kept = new List<byte[]>();
        for (var i = 0; i < 64; i++) kept.Add(new byte[1 << 20]);
        Assert.True(GC.CollectionCount(0) > before);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        StartGc.Release();
        GC.KeepAlive(kept);
    }

    [Fact]
    public async Task TheHold_EndsByItself_AfterItsTime_WithTheCollectionItPutOff()
    {
        StartGc.Hold(TimeSpan.FromMilliseconds(200));
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        var before = GC.CollectionCount(0);

        await Polling.Eventually(() => GCSettings.LatencyMode != GCLatencyMode.NoGCRegion && GC.CollectionCount(0) > before, "the hold's end after 200 ms, and a collection");
        Assert.False(StartGc.Release());
    }

    [Fact]
    public async Task AChatsFirstStreamedDelta_EndsTheHold()
    {
        await using var world = await ChatWorld.StartAsync();
        world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("The first answer."));
        StartGc.Hold(TimeSpan.FromMinutes(1));
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

        await world.Rpc.CallAsync("session/send", world.Send("hello"));

        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void ACommandsHold_IsNotEndedByTheDeltaItsSidecarWrites_OnlyByItsOwnRelease()
    {
        StartGc.Hold(TimeSpan.FromMinutes(1), endedByCaller: true);

        StartGc.DeltaWritten();

        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.True(StartGc.Release());
    }

    [Fact]
    public async Task PlueAsk_EndsItsHold_AtTheFirstDeltaItPrints()
    {
        // The command's sidecar writes the delta one hop before the terminal: a collection in that hop held the first token.
        await using var world = new Plue.Tests.Cli.CliWorld();
        await world.AddInstanceAsync();
        world.Fake.EnqueueStream(FakeOpenAIServer.TextReply("Pong."));
        var allocated = GC.GetTotalAllocatedBytes();
        StartGc.Hold(TimeSpan.FromMinutes(1), endedByCaller: true);

        var asked = await world.RunAsync("ask", "ping");

        Assert.True(asked.Code == 0, asked.ToString());
        Assert.Equal("Pong.\n", asked.Stdout);
        // Less than the hold's room: so the runtime did not end it, the command did.
        Assert.True(GC.GetTotalAllocatedBytes() - allocated < 16 << 20, "the ask allocated the hold's room: this test shows nothing");
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
