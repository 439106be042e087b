using System.Formats.Tar;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Plue.Engines;

namespace Plue.Agents.Containers;

/// <summary>
/// The image a swarm's nodes run sub-tasks from: the workspace's image (<see cref="ContainerImage"/> picks it) with
/// Plue's Linux binary added at <see cref="InImage"/>, built on the manager (the Engine API's /build) and pushed to the
/// engine's registry, so each node pulls it and nothing is copied node by node. It is named by Plue's version and a
/// hash of the base image's id and the binary, and built and pushed once: the registry's manifest says whether it is
/// there already.
/// </summary>
/// <param name="environment">
/// Where Plue's Linux binaries are (else the sidecar's own file, when it is one): <see cref="BinaryVariable"/>
/// (linux-x64) and <see cref="Arm64BinaryVariable"/> (linux-arm64, built the same way and untested).
/// </param>
public sealed class SwarmRunnerImage(Func<string, string?> environment, HttpClient registryHttp)
{
    public const string Repository = "plue-runner";
    public const string InImage = "/opt/plue/plue";
    public const string BinaryVariable = "PLUE_RUNNER_BINARY";
    public const string Arm64BinaryVariable = "PLUE_RUNNER_BINARY_ARM64";

    /// <summary>One image at a time: sub-tasks that start together wait for the first's build and push.</summary>
    private static readonly SemaphoreSlim s_building = new(1, 1);

    private static readonly string s_version = (typeof(SwarmRunnerImage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>The runner image for one node architecture (Docker's name for it: amd64, arm64); <paramref name="Pushed"/>: built and pushed now, not found in the registry already.</summary>
    public sealed record RunnerImage(string Architecture, string Image, bool Pushed);

    /// <summary>
    /// The runner image for each of <paramref name="architectures"/> (as nodes report them: x86_64, aarch64), built from
    /// <paramref name="baseImage"/> on <paramref name="engine"/> (the swarm's manager) and pushed to
    /// <paramref name="registry"/> (host[:port]) unless the registry has it. A registry nobody reaches, a push it
    /// refuses, or an architecture Plue has no binary for is an <see cref="EngineException"/> in the user's words.
    /// </summary>
    public async Task<IReadOnlyList<RunnerImage>> EnsurePushedAsync(EngineClient engine, string registry, string baseImage, IReadOnlyCollection<string> architectures, CancellationToken cancellationToken)
    {
        var images = new List<RunnerImage>();
        foreach (var architecture in architectures.Select(Normalize).Distinct(StringComparer.Ordinal))
        {
            var binary = Binary(architecture);
            await s_building.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var baseId = await engine.ImageIdAsync(baseImage, cancellationToken).ConfigureAwait(false);
                if (baseId is null)
                {
                    await engine.PullImageAsync(baseImage, cancellationToken).ConfigureAwait(false);
                    baseId = await engine.ImageIdAsync(baseImage, cancellationToken).ConfigureAwait(false) ?? baseImage;
                }
                var tag = Tag(baseId, await FilesHashAsync(binary, cancellationToken).ConfigureAwait(false), architecture);
                var image = $"{registry}/{Repository}:{tag}";
                if (await InRegistryAsync(registry, tag, cancellationToken).ConfigureAwait(false))
                {
                    images.Add(new RunnerImage(architecture, image, Pushed: false));
                    continue;
                }
                await BuildAsync(engine, baseImage, binary, image, architecture, cancellationToken).ConfigureAwait(false);
                await engine.PushImageAsync(image, registry, cancellationToken).ConfigureAwait(false);
                images.Add(new RunnerImage(architecture, image, Pushed: true));
            }
            finally
            {
                s_building.Release();
            }
        }
        return images;
    }

    /// <summary>Plue's version and 12 hex digits of the base image's id and the binary's hash; an Arm64 image's ends in -arm64.</summary>
    public static string Tag(string baseImageId, string binaryHash, string architecture)
    {
        var version = new string([.. s_version.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(baseImageId + binaryHash)))[..12];
        return $"{version}-{hash}" + (architecture == "amd64" ? "" : "-" + architecture);
    }

    /// <summary>Docker's name for a node's architecture; one Plue has no binary for is refused with the way around it.</summary>
    private static string Normalize(string architecture) => architecture.ToLowerInvariant() switch
    {
        "x86_64" or "amd64" or "x64" => "amd64",
        "aarch64" or "arm64" => "arm64",
        _ => throw new EngineException($"Plue has no runner for {architecture} nodes: keep its jobs off them with a constraint such as node.platform.arch==x86_64.", EngineFix.Swarm),
    };

    /// <summary>
    /// Plue's Linux binary for the architecture: the one the environment names (a choice wins), else the sidecar's own
    /// file when it is that binary.
    /// </summary>
    private string Binary(string architecture)
    {
        var (variable, which) = architecture == "amd64" ? (BinaryVariable, "linux-x64") : (Arm64BinaryVariable, "linux-arm64");
        if (environment(variable) is { Length: > 0 } named)
        {
            return File.Exists(named) ? named
                : throw new EngineException($"{variable} names {Path.GetFileName(named)}, which is not there: set it to the plue file of Plue's {which} build.", EngineFix.Image);
        }
        var own = architecture == "amd64" ? Architecture.X64 : Architecture.Arm64;
        if (OperatingSystem.IsLinux() && !RuntimeFeature.IsDynamicCodeSupported && RuntimeInformation.ProcessArchitecture == own && Environment.ProcessPath is { } self)
            return self;
        throw new EngineException($"Plue's {which} binary for the swarm's {(architecture == "amd64" ? "x64" : "Arm64")} nodes is not here: set {variable} to the plue file of Plue's {which} build, or keep the jobs off those nodes with a constraint.", EngineFix.Image);
    }

    /// <summary>
    /// What goes into the image beside the binary, when its folder has them (as a published Plue has): the SQLite
    /// library it loads and the shipped templates, prompts and catalog it reads from its own folder.
    /// </summary>
    private static readonly string[] s_beside = ["libe_sqlite3.so", "catalog", "prompts", "templates"];

    /// <summary>The binary and what it needs beside it, each as (its path here, its name under /opt/plue), in a fixed order.</summary>
    private static List<(string Path, string Name)> Files(string binary)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(binary))!;
        var files = new List<(string, string)> { (binary, "plue") };
        foreach (var name in s_beside)
        {
            var here = Path.Combine(folder, name);
            if (File.Exists(here)) files.Add((here, name));
            else if (Directory.Exists(here))
                files.AddRange(Directory.EnumerateFiles(here, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                    .Select(f => (f, Path.GetRelativePath(folder, f).Replace('\\', '/'))));
        }
        return files;
    }

    /// <summary>One hash of every file the image gets (names and contents), so a change to any makes a new image.</summary>
    private static async Task<string> FilesHashAsync(string binary, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, name) in Files(binary))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name + "\0"));
            hash.AppendData(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Whether the registry holds <c>plue-runner:tag</c> (a manifest's answer: 200 it does, anything else it does not
    /// and the push will tell): over HTTPS, else plain HTTP; a registry that answers neither is refused.
    /// </summary>
    private async Task<bool> InRegistryAsync(string registry, string tag, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var scheme in new[] { "https", "http" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, $"{scheme}://{registry}/v2/{Repository}/manifests/{tag}");
            request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
            request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
            request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.list.v2+json");
            try
            {
                using var answer = await registryHttp.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return answer.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }
        }
        throw new EngineException($"The registry {registry} does not answer ({Reason(last!)}): start it, or set the swarm engine's registry to one Plue and its nodes reach.", EngineFix.Swarm, last);
    }

    private static string Reason(Exception e) => e switch
    {
        TaskCanceledException => "no answer in time",
        HttpRequestException { InnerException: System.Net.Sockets.SocketException s } => s.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.ConnectionRefused => "connection refused",
            System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData => "no such host",
            _ => "unreachable",
        },
        _ => "unreachable",
    };

    /// <summary>Builds the image on the engine from a context of the Dockerfile (FROM the base, COPY plue/) and Plue's files under plue/.</summary>
    private static async Task BuildAsync(EngineClient engine, string baseImage, string binary, string image, string architecture, CancellationToken cancellationToken)
    {
        var tar = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        await using (tar.ConfigureAwait(false))
        {
            var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true);
            await using (writer.ConfigureAwait(false))
            {
                const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
                const UnixFileMode runnable = readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                var dockerfile = $"FROM {baseImage}\nCOPY plue/ {Path.GetDirectoryName(InImage)}/\n";
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile")
                {
                    Mode = readable,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)),
                }, cancellationToken).ConfigureAwait(false);
                foreach (var (path, name) in Files(binary))
                {
                    var file = File.OpenRead(path);
                    await using (file.ConfigureAwait(false))
                    {
                        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "plue/" + name)
                        {
                            Mode = name == "plue" ? runnable : readable,
                            DataStream = file,
                        }, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            tar.Position = 0;
            await engine.BuildImageAsync(tar, "Dockerfile", image, new Dictionary<string, string> { ["plue.runner"] = s_version },
                cancellationToken, platform: architecture == "amd64" ? null : $"linux/{architecture}").ConfigureAwait(false);
        }
    }
}
