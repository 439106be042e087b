using System.Text;
using Plue.Engines;
using Plue.Tests.Support;

namespace Plue.Tests.Engines;

/// <summary>The Engine API client against a real Docker engine (Debian's dockerd, API 1.41) and its tiny image.</summary>
public sealed class EngineClientTests(DockerEngine engine) : IClassFixture<DockerEngine>
{
    private const string Name = "the test engine";

    [DockerEngineFact]
    public async Task Connect_RealEngine_NegotiatesDownToWhatItServes()
    {
        using var client = await EngineClient.ConnectAsync(EngineAddress.Host(engine.Host), null, Name, CancellationToken.None);

        Assert.Equal("linux", client.Version.Os);
        Assert.False(string.IsNullOrEmpty(client.Version.Arch));
        var served = Version.Parse(client.Version.EngineApiVersion);
        var spoken = Version.Parse(client.Version.ApiVersion);
        Assert.Equal(served < EngineApiVersion.Newest ? served : EngineApiVersion.Newest, spoken);
    }

    [DockerEngineFact]
    public async Task Exec_InStartedContainer_StreamsStdoutAndStderrApartAndGivesTheExitCode()
    {
        using var client = await EngineClient.ConnectAsync(EngineAddress.Host(engine.Host), null, Name, CancellationToken.None);
        var id = await client.CreateContainerAsync(new ContainerSpec
        {
            Image = engine.Image,
            Command = ["sleep", "60"],
            User = "plue",
            Labels = new Dictionary<string, string> { ["plue.test"] = nameof(EngineClientTests) },
        }, CancellationToken.None);
        try
        {
            await client.StartAsync(id, CancellationToken.None);
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            var pieces = 0;
            var code = await client.ExecAsync(id, new ExecSpec
            {
                Command = ["sh", "-c", "echo out1; echo err1 >&2; sleep 0.3; printf 'out2 é\\n'; id -un; exit 7"],
                Env = ["GREETING=hello"],
            }, (stream, text) =>
            {
                pieces++;
                (stream == ExecStream.Stdout ? stdout : stderr).Append(text);
            }, CancellationToken.None);

            Assert.Equal(7, code);
            Assert.Equal("out1\nout2 é\nplue\n", stdout.ToString());
            Assert.Equal("err1\n", stderr.ToString());
            Assert.True(pieces >= 2, "the output came as it was written, in pieces");
        }
        finally
        {
            await client.RemoveAsync(id, CancellationToken.None);
        }
        // Gone: removing it again is no error, and starting it is one.
        await client.RemoveAsync(id, CancellationToken.None);
        await Assert.ThrowsAsync<EngineException>(() => client.StartAsync(id, CancellationToken.None));
    }

    /// <summary>
    /// A command that runs longer than the library's own request deadline (100 s) comes back whole, with its real exit
    /// code, and a container's wait outlives it too: with that deadline the stream ended at 100 s, the command was said
    /// to have exited 0 with its output cut, and a task's watch of its container threw.
    /// </summary>
    [DockerEngineFact]
    public async Task Exec_LongerThanALibraryDeadline_ComesBackWholeAndTheWaitGoesOn()
    {
        using var client = await EngineClient.ConnectAsync(EngineAddress.Host(engine.Host), null, Name, CancellationToken.None);
        var id = await client.CreateContainerAsync(new ContainerSpec
        {
            Image = engine.Image,
            Command = ["sleep", "300"],
            User = "plue",
            Labels = new Dictionary<string, string> { ["plue.test"] = nameof(EngineClientTests) },
        }, CancellationToken.None);
        try
        {
            await client.StartAsync(id, CancellationToken.None);
            var waited = client.WaitAsync(id, CancellationToken.None);
            var stdout = new StringBuilder();
            var code = await client.ExecAsync(id, new ExecSpec { Command = ["sh", "-c", "sleep 105; echo DONE; exit 3"] },
                (stream, text) => { if (stream == ExecStream.Stdout) stdout.Append(text); }, CancellationToken.None);

            Assert.Equal("DONE\n", stdout.ToString());
            Assert.Equal(3, code);
            Assert.False(waited.IsCompleted, waited.IsFaulted ? waited.Exception!.InnerException!.Message : "the container's wait ended while it ran");
        }
        finally
        {
            await client.RemoveAsync(id, CancellationToken.None);
        }
    }

    [DockerEngineFact]
    public async Task CreateContainer_MissingImage_IsOneLineSayingToPullIt()
    {
        using var client = await EngineClient.ConnectAsync(EngineAddress.Host(engine.Host), null, Name, CancellationToken.None);

        var e = await Assert.ThrowsAsync<EngineException>(() => client.CreateContainerAsync(new ContainerSpec { Image = "plue-test/absent:9" }, CancellationToken.None));

        Assert.Equal(EngineFix.Image, e.Fix);
        Assert.Equal($"The image 'plue-test/absent:9' is not on {Name}: pull or build it there first (docker pull plue-test/absent:9).", e.Message);
    }

    [DockerEngineFact]
    public async Task CanMount_LocalEngine_BindsAFolderOfThisMachine()
    {
        using var client = await EngineClient.ConnectAsync(EngineAddress.Host(engine.Host), null, Name, CancellationToken.None);
        using var folder = new TempDir();

        Assert.True(await client.CanMountAsync(folder.Path, CancellationToken.None));
        Assert.False(await client.CanMountAsync(Path.Combine(folder.Path, "absent"), CancellationToken.None));
    }
}

/// <summary>Engines that cannot be reached or spoken with: each a one-line error saying what to do.</summary>
public sealed class EngineClientErrorTests
{
    [Fact]
    public async Task Connect_WrongSocket_IsOneLineSayingToStartDockerOrFixTheHost()
    {
        using var dir = new TempDir();
        var host = "unix://" + Path.Combine(dir.Path, "docker.sock");

        var e = await Assert.ThrowsAsync<EngineException>(() => EngineClient.ConnectAsync(EngineAddress.Host(host), null, "Local", CancellationToken.None));

        Assert.Equal(EngineFix.StartEngine, e.Fix);
        Assert.Equal($"No Docker engine answers at {host} (Local): start Docker, or set the engine's host to the socket it listens on.", e.Message);
    }

    [Fact]
    public async Task Connect_SshWhereNoServerListens_FailsAtOnceSayingToStartItsSshServer()
    {
        // The machine's own ssh client is started (BatchMode): a port nothing serves ends it at once, told in words.
        var e = await Assert.ThrowsAsync<EngineException>(() => EngineClient.ConnectAsync(EngineAddress.Host("ssh://me@127.0.0.1:1"), null, "Build box", CancellationToken.None));

        Assert.Equal(EngineFix.StartEngine, e.Fix);
        Assert.Equal("Nothing answers SSH at 127.0.0.1 port 1 (Build box): start its SSH server, or check the engine's host and port.", e.Message);
    }

    [Theory]
    [InlineData("ssh://me@build-box", "me", "build-box", null, "/var/run/docker.sock")]
    [InlineData("ssh://build-box:2222", null, "build-box", 2222, "/var/run/docker.sock")]
    [InlineData("ssh://me@build-box/run/user/1000/docker.sock", "me", "build-box", null, "/run/user/1000/docker.sock")]
    [InlineData("ssh://me@[::1]:22/", "me", "::1", 22, "/var/run/docker.sock")]
    public void Ssh_ReadsUserHostPortAndTheEngineSocket(string host, string? user, string name, int? port, string socket)
    {
        Assert.Equal(EngineReach.Ssh, EngineAddress.Host(host).Reach);
        Assert.Equal(new EngineSshTarget(user, name, port, socket), EngineSshTarget.Parse(host));
    }

    [Theory]
    [InlineData("ssh://-oProxyCommand=touch@x")]
    [InlineData("ssh://me@-oProxyCommand=x")]
    [InlineData("ssh://me@build-box:99999")]
    [InlineData("ssh://me@build-box/run/a:b.sock")]
    [InlineData("ssh://me@build-box/run/my docker.sock")]
    public void Ssh_AnAddressSshWouldMisread_IsRefusedAtTheDoor(string host)
    {
        var e = Assert.Throws<EngineException>(() => EngineAddress.Host(host));

        Assert.Equal(EngineFix.Address, e.Fix);
        Assert.StartsWith($"'{host}' is not an ssh:// engine's address", e.Message);
    }

    [Theory]
    [InlineData("http://localhost:2375")]
    [InlineData("/var/run/docker.sock")]
    [InlineData("unix://")]
    public void Host_NotDockersForm_IsRefusedWithTheFormsDockerKnows(string host)
    {
        var e = Assert.Throws<EngineException>(() => EngineAddress.Host(host));

        Assert.Equal(EngineFix.Address, e.Fix);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Local_DockerHostSet_IsThatHostElseTheSystemSocket()
    {
        Assert.Equal(new EngineAddress(EngineReach.Tcp, "tcp://10.0.0.5:2376"), EngineAddress.Local(n => n == "DOCKER_HOST" ? "tcp://10.0.0.5:2376" : null));
        Assert.Equal(new EngineAddress(EngineReach.Unix, EngineAddress.SystemSocket), EngineAddress.Local(_ => null));
    }

    [Theory]
    [InlineData("1.41", "1.12", "1.41")]   // Debian 12's engine: its own
    [InlineData("1.52", "1.44", "1.47")]   // a newer engine: the newest the requests are written for
    [InlineData("1.45", "1.24", "1.45")]
    public void Negotiate_EnginesVersions_SpeaksTheLowerOfBoth(string served, string minimum, string expected)
    {
        Assert.Equal(Version.Parse(expected), EngineApiVersion.Negotiate(served, minimum, "E"));
    }

    [Fact]
    public void Negotiate_TooOldOrTooNew_SaysWhatToUpdate()
    {
        var old = Assert.Throws<EngineException>(() => EngineApiVersion.Negotiate("1.40", "1.12", "E"));
        Assert.Equal("E is too old for Plue (it serves API 1.40; Plue needs 1.41 or newer, Docker 20.10 or later): update Docker.", old.Message);
        var moved = Assert.Throws<EngineException>(() => EngineApiVersion.Negotiate("1.60", "1.50", "E"));
        Assert.Equal("E no longer serves API 1.47 (its oldest is 1.50): update Plue.", moved.Message);
        Assert.Equal(EngineFix.Update, moved.Fix);
    }
}
