using System.Diagnostics;
using Plue.Processes;
using Plue.Tests.Support;
using Plue.Transcripts;

namespace Plue.Tests.Transcripts;

/// <summary>
/// Telling a live owner of running work from a dead one: an owner is alive while its sidecar holds the lock on
/// <c>owners/&lt;id&gt;.lock</c> under the home; only an owner proven dead is not.
/// </summary>
public sealed class TranscriptOwnerTests : IDisposable
{
    private readonly TempDir _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void ThisProcess_IsAlive()
    {
        SidecarOwner.Hold(_home.Path);

        Assert.True(TranscriptOwner.IsAlive(TranscriptOwner.Current, _home.Path));
        Assert.StartsWith($"{Environment.ProcessId}-", TranscriptOwner.Current, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_home.Path, SidecarOwner.FolderName, TranscriptOwner.Current + ".lock")));
    }

    [Fact]
    public async Task AnOwnerWhoseLockAnotherProcessHolds_IsAlive_AndOnceThatProcessDies_IsNot_AndItsFileGoes()
    {
        if (!File.Exists("/usr/bin/flock")) return; // util-linux's flock(1) takes the same lock another sidecar would
        var owner = "4242-0123456789abcdef0123456789abcdef";
        var path = Path.Combine(_home.Path, SidecarOwner.FolderName, owner + ".lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var holder = Process.Start(new ProcessStartInfo("/usr/bin/flock", ["-x", path, "cat"]) { RedirectStandardInput = true })!;
        while (!File.Exists(path) || !Locked(path)) await Task.Delay(20);

        Assert.True(TranscriptOwner.IsAlive(owner, _home.Path));

        holder.Kill(entireProcessTree: true); // flock(1) runs cat as its child, which shares the lock
        await holder.WaitForExitAsync();
        // Its child goes a moment later; until then the lock is still held.
        for (var i = 0; i < 500 && TranscriptOwner.IsAlive(owner, _home.Path); i++) await Task.Delay(20);
        Assert.False(TranscriptOwner.IsAlive(owner, _home.Path));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AnOlderSidecarsOwner_ThisProcessWithAStartTimeAMillisecondApart_IsAlive()
    {
        // Two .NET processes read a start time that differs by about a millisecond for the same pid.
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime().Ticks;

        Assert.True(TranscriptOwner.IsAlive($"{Environment.ProcessId}:{started + TimeSpan.TicksPerMillisecond}", _home.Path));
        Assert.False(TranscriptOwner.IsAlive($"{Environment.ProcessId}:{started - TimeSpan.TicksPerHour}", _home.Path));
    }

    [Theory]
    [InlineData("2147483000:1")] // no such process
    [InlineData("99999-0123456789abcdef0123456789abcdef")] // no lock file: its sidecar died and was cleaned up
    [InlineData("")]
    [InlineData("12:34:56")]
    [InlineData("pid:34")]
    [InlineData("../../x")]
    public void AnOwnerThatIsGoneOrUnreadable_IsNotAlive(string owner) => Assert.False(TranscriptOwner.IsAlive(owner, _home.Path));

    private static bool Locked(string path)
    {
        try
        {
            using var _ = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
