using System.Diagnostics;
using System.Text.Json;

namespace Plue.Tests.Support;

/// <summary>
/// A real Docker engine for a test class (tests/support/docker-engine.mjs): PLUE_TEST_DOCKER_HOST's when set, else a
/// private Debian dockerd in a temp folder, started for the class and stopped by its pid file after it; the tiny
/// image (static busybox) made in it with no registry.
/// </summary>
public sealed class DockerEngine : IAsyncLifetime
{
    private string? _dir;

    /// <summary>unix:///…/docker.sock</summary>
    public string Host { get; private set; } = "";
    public string Socket { get; private set; } = "";
    public string Image { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (DockerEngineFactAttribute.Missing() is not null) return;  // its facts are skipped, saying why
        var answer = await Node("start").ConfigureAwait(false);
        using var json = JsonDocument.Parse(answer.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Host = json.RootElement.GetProperty("host").GetString()!;
        Socket = json.RootElement.GetProperty("socket").GetString()!;
        Image = json.RootElement.GetProperty("image").GetString()!;
        _dir = json.RootElement.GetProperty("dir").GetString();
    }

    public async Task DisposeAsync()
    {
        if (_dir is not null) await Node("stop", _dir).ConfigureAwait(false);
    }

    private static async Task<string> Node(params string[] args)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "support", "docker-engine.mjs"));
        foreach (var a in args) start.ArgumentList.Add(a);
        // What the script reads: where node is, and the engine a run may give.
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        if (Environment.GetEnvironmentVariable("PLUE_TEST_DOCKER_HOST") is { Length: > 0 } given) start.Environment["PLUE_TEST_DOCKER_HOST"] = given;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"docker-engine.mjs {string.Join(' ', args)} failed: {await errors.ConfigureAwait(false)}");
        return await output.ConfigureAwait(false);
    }
}

/// <summary>A fact that needs a Docker engine: Debian's dockerd run as root, or PLUE_TEST_DOCKER_HOST.</summary>
public sealed class DockerEngineFactAttribute : FactAttribute
{
    public DockerEngineFactAttribute()
    {
        if (Missing() is { } reason) Skip = reason;
    }

    /// <summary>Why no engine can be had here, or null.</summary>
    public static string? Missing()
    {
        if (Environment.GetEnvironmentVariable("PLUE_TEST_DOCKER_HOST") is { Length: > 0 }) return null;
        if (!OperatingSystem.IsLinux() || !(File.Exists("/usr/sbin/dockerd") || File.Exists("/usr/bin/dockerd")))
            return "No Docker engine: install Debian's docker.io (bash scripts/install-tools.sh test) or set PLUE_TEST_DOCKER_HOST";
        return Environment.UserName != "root" ? "A private dockerd needs root: run as root, or set PLUE_TEST_DOCKER_HOST to a running engine" : null;
    }
}
