using System.Diagnostics;
using System.Net.Sockets;
using Plue.Sandbox;

namespace Plue.Tests.Sandbox;

/// <summary>
/// The proxy folders a killed sidecar left in the temp folder are removed by the next sidecar's first proxy: those named
/// after a process that has ended, and those of the older naming whose socket no one listens on; a running sidecar's
/// (named after a live process, or listening) are kept.
/// </summary>
public sealed class SandboxProxySweepTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("plue-sweep-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void SweepLeftBehind_RemovesOnlyTheFoldersOfEndedSidecars()
    {
        using var ended = Process.Start(new ProcessStartInfo("/bin/true"))!;
        ended.WaitForExit();
        using var live = Process.Start(new ProcessStartInfo("/bin/sleep", "30"))!;
        try
        {
            var endedFolder = Folder($"plue-proxy-{ended.Id}-0123456789ab");
            var liveFolder = Folder($"plue-proxy-{live.Id}-0123456789ab");
            var oldDead = Folder("plue-proxy-0123456789abcdef0123");
            var oldListening = Folder("plue-proxy-fedcba9876543210fedc");
            var other = Folder("plue-other-1");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(oldListening, "proxy.sock")));
            listener.Listen(1);
            File.WriteAllText(Path.Combine(oldDead, "proxy.sock"), ""); // a socket file left, nothing listening

            SandboxProxy.SweepLeftBehind(_temp);

            Assert.False(Directory.Exists(endedFolder), "the folder of a sidecar that ended");
            Assert.False(Directory.Exists(oldDead), "an older folder no one listens in");
            Assert.True(Directory.Exists(liveFolder), "a running sidecar's folder");
            Assert.True(Directory.Exists(oldListening), "an older folder whose proxy still listens");
            Assert.True(Directory.Exists(other), "not a proxy's folder");
        }
        finally
        {
            live.Kill();
        }
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_temp, name)).FullName;
}
