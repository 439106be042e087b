using System.Diagnostics;
using Plue.Catalog;
using Plue.Providers;
using Plue.Providers.Bedrock;
using Plue.Providers.Vertex;
using Plue.Tests.Support;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>
/// Credential files (Google's application-default file, AWS credentials, config and SSO cache) are read only when they
/// are regular files of at most 1 MiB: anything else is refused at once, with a message naming the file, not read.
/// </summary>
public sealed class CredentialFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string PathOf(string name) => Path.Combine(_dir.Path, name);

    private string Fifo()
    {
        var path = PathOf("fifo");
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    private static void AssertRefused(string path, Action read, string why)
    {
        var error = Assert.Throws<ProviderException>(read);
        Assert.Equal(ProviderErrorKind.BadKey, error.Kind);
        Assert.Contains(path, error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public async Task ApplicationDefaultCredentials_AFifo_IsRefusedWithoutWaitingForAWriter()
    {
        if (!OperatingSystem.IsLinux()) return;
        var fifo = Fifo();

        // Read on a thread of its own: before the fix, opening a FIFO with no writer blocked for ever.
        var read = Task.Run(() => Assert.Throws<ProviderException>(() => GoogleCredentials.FromApplicationDefault(n => n == "GOOGLE_APPLICATION_CREDENTIALS" ? fifo : null)));
        var error = await read.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(fifo, error.Message);
        Assert.Contains("not a regular file", error.Message);
    }

    [Fact]
    public void AwsConfig_DevZero_IsRefusedAsADevice()
    {
        if (!OperatingSystem.IsLinux()) return;
        AssertRefused("/dev/zero", () => AwsSso.FindProfile("default", n => n == "AWS_CONFIG_FILE" ? "/dev/zero" : null), "not a regular file");
    }

    [Fact]
    public void AwsConfig_ASymlinkToADevice_IsRefused_AndToARegularFile_IsFollowed()
    {
        if (!OperatingSystem.IsLinux()) return;
        var toDevice = PathOf("config-to-device");
        File.CreateSymbolicLink(toDevice, "/dev/zero");
        AssertRefused(toDevice, () => AwsSso.FindProfile("default", n => n == "AWS_CONFIG_FILE" ? toDevice : null), "not a regular file");

        var real = PathOf("real-config");
        File.WriteAllText(real, "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = eu-west-1\n");
        var toFile = PathOf("config-to-file");
        File.CreateSymbolicLink(toFile, real);
        var profile = AwsSso.FindProfile("dev", n => n == "AWS_CONFIG_FILE" ? toFile : null);
        Assert.Equal("eu-west-1", profile?.Region);
    }

    [Fact]
    public void AwsConfig_AFileOf300MB_IsRefusedAfterReadingAtMost1MiB()
    {
        var big = PathOf("big-config");
        using (var file = File.Create(big)) file.SetLength(300L * 1024 * 1024); // sparse: no disk used
        var before = GC.GetAllocatedBytesForCurrentThread();

        AssertRefused(big, () => AwsSso.FindProfile("default", n => n == "AWS_CONFIG_FILE" ? big : null), "larger than 1 MiB");

        // Memory stays bounded: the read stops at the cap (reading it whole allocated over 600 MB).
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 16L * 1024 * 1024, $"{allocated / (1024 * 1024)} MiB allocated to refuse it");
    }

    [Fact]
    public async Task AwsCredentialsFile_AFolder_IsRefusedNamingIt()
    {
        var folder = PathOf("credentials");
        Directory.CreateDirectory(folder);
        var transport = new ProviderTransport(Http, Connection(ProviderTypes.Bedrock, "http://127.0.0.1:9", "bedrock", maxAttempts: 1) with { ApiKey = null });

        var error = await Assert.ThrowsAsync<ProviderException>(() => AwsCredentials.ResolveAsync(transport, n => n == "AWS_SHARED_CREDENTIALS_FILE" ? folder : null, CancellationToken.None));

        Assert.Contains(folder, error.Message);
        Assert.Contains("not a regular file", error.Message);
    }

    [Fact]
    public void AMissingFile_IsNoCredential_NotAnError()
    {
        Assert.Null(GoogleCredentials.FromApplicationDefault(n => n == "GOOGLE_APPLICATION_CREDENTIALS" ? PathOf("absent.json") : null));
        Assert.Null(AwsSso.FindProfile("default", n => n == "AWS_CONFIG_FILE" ? PathOf("absent") : null));
    }
}
