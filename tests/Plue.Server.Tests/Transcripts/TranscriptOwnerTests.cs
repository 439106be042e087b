using System.Diagnostics;
using Plue.Transcripts;

namespace Plue.Tests.Transcripts;

/// <summary>Telling a live owner of a streaming message from a dead one: the pid and the process's start time must both match.</summary>
public sealed class TranscriptOwnerTests
{
    [Fact]
    public void ThisProcess_IsAlive()
    {
        Assert.True(TranscriptOwner.IsAlive(TranscriptOwner.Current));
        Assert.StartsWith($"{Environment.ProcessId}:", TranscriptOwner.Current, StringComparison.Ordinal);
    }

    [Fact]
    public void ALivePid_WithAnotherStartTime_IsAReusedPid_SoNotTheOwner()
    {
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime().Ticks;

        Assert.False(TranscriptOwner.IsAlive($"{Environment.ProcessId}:{started + 1}"));
    }

    [Theory]
    [InlineData("2147483000:1")] // no such process
    [InlineData("")]
    [InlineData("12")]
    [InlineData("12:34:56")]
    [InlineData("pid:34")]
    [InlineData("12:ticks")]
    public void AnOwnerThatIsGoneOrUnreadable_IsNotAlive(string owner) => Assert.False(TranscriptOwner.IsAlive(owner));
}
