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
    public async Task Connect_Ssh_SaysHowToReachItInstead()
    {
        var e = await Assert.ThrowsAsync<EngineException>(() => EngineClient.ConnectAsync(EngineAddress.Host("ssh://me@build-box"), null, "Build box", CancellationToken.None));

        Assert.Equal(EngineFix.Address, e.Fix);
        Assert.StartsWith("Build box is reached over SSH, which Plue does not do yet: forward its socket", e.Message);
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
