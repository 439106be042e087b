using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Plue.Engines;

/// <summary>
/// One Docker engine through its Engine API (Docker.DotNet.Enhanced: source-generated JSON, clean under Native AOT),
/// at the API version negotiated with it; no <c>docker</c> CLI is needed. Every failure is an
/// <see cref="EngineException"/> in the user's words, naming the engine by <c>engineName</c>.
/// </summary>
public sealed partial class EngineClient : IDisposable
{
    /// <summary>How long an engine may take to answer its version: a socket nothing serves fails at once, a far host not.</summary>
    private static readonly TimeSpan s_answerTime = TimeSpan.FromSeconds(15);

    private readonly DockerClient _docker;
    private readonly EngineAddress _address;
    private readonly string _name;

    private EngineClient(DockerClient docker, EngineAddress address, string name, EngineVersion version)
    {
        _docker = docker;
        _address = address;
        _name = name;
        Version = version;
    }

    public EngineVersion Version { get; }

    /// <summary>Whether the engine runs on this machine (a Unix socket or a Windows pipe), so it can mount this machine's folders.</summary>
    public bool OnThisMachine => _address.OnThisMachine;

    /// <summary>Asks the engine its version, then speaks the API version both serve (<see cref="EngineApiVersion"/>).</summary>
    public static async Task<EngineClient> ConnectAsync(EngineAddress address, EngineTls? tls, string engineName, CancellationToken cancellationToken)
    {
        // An ssh:// engine is spoken with over its tunnel's local socket; it is still told by its own address.
        var tunnel = address.Reach == EngineReach.Ssh ? await EngineSshTunnel.OpenAsync(address, engineName, cancellationToken).ConfigureAwait(false) : null;
        var reached = tunnel?.Local ?? address;
        var heard = tunnel?.Heard ?? 0;
        VersionResponse answer;
        using (var probe = Build(reached, tls, engineName, api: null))
        {
            using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            within.CancelAfter(s_answerTime);
            try
            {
                answer = await probe.System.GetVersionAsync(within.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not EngineException)
            {
                throw (tunnel is null ? null : await tunnel.RefusedAsync(heard, engineName).ConfigureAwait(false)) ?? Explain(e, address, engineName);
            }
        }
        var api = EngineApiVersion.Negotiate(answer.APIVersion, answer.MinAPIVersion, engineName);
        var version = new EngineVersion(answer.Version ?? "", EngineApiVersion.Text(api), answer.APIVersion ?? "", answer.Os ?? "", answer.Arch ?? "");
        return new EngineClient(Build(reached, tls, engineName, api), address, engineName, version);
    }

    private static DockerClient Build(EngineAddress address, EngineTls? tls, string engineName, System.Version? api)
    {
        var builder = new DockerClientBuilder();
        try
        {
            builder = address.Reach == EngineReach.Context ? builder.WithContext(address.Value) : builder.WithEndpoint(new Uri(address.Value));
        }
        catch (Exception e) when (e is DockerConfigurationException or UriFormatException or IOException or JsonException)
        {
            throw new EngineException(address.Reach != EngineReach.Context ? $"'{address.Value}' is not a Docker engine's address ({Reason(e)})."
                : Reason(e).Contains("does not exist", StringComparison.OrdinalIgnoreCase) ? $"There is no Docker context called '{address.Value}': `docker context ls` lists them."
                : $"The Docker context '{address.Value}' cannot be read ({Reason(e)}): `docker context ls` lists them.", EngineFix.Address, e);
        }
        // No deadline of the library's own (100 s by default): it would cut an exec's output stream and a container's
        // wait at that age, so a long command would come back early with its output cut and a task's watch would end.
        // Each call is bounded by its caller's token instead, and reaching the engine by the version asked first.
        builder = builder.WithTimeout(Timeout.InfiniteTimeSpan);
        if (api is not null) builder = builder.WithApiVersion(api);
        if (tls is not null) builder = builder.WithAuthProvider(tls.Credentials(engineName));
        return builder.Build();
    }

    /// <summary>Makes a container (not started); returns its id.</summary>
    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var parameters = new CreateContainerParameters
        {
            Image = spec.Image,
            Cmd = spec.Command.Count > 0 ? [.. spec.Command] : null!,  // none: the image's own command
            User = spec.User!,
            WorkingDir = spec.WorkingDir!,
            Env = [.. spec.Env],
            Labels = new Dictionary<string, string>(spec.Labels),
            HostConfig = new HostConfig
            {
                NetworkMode = spec.Network,
                Mounts = [.. spec.Binds.Select(b => new Mount { Type = "bind", Source = b.Source, Target = b.Target, ReadOnly = b.ReadOnly }),
                    .. spec.Volumes.Select(v => new Mount { Type = "volume", Target = v })],
                NanoCPUs = spec.Cpus is { } cpus ? (long)(cpus * 1e9) : 0,
                Memory = spec.MemoryMb is { } mb ? mb * 1024 * 1024 : 0,
                MemorySwap = spec.MemoryMb is { } swapMb ? swapMb * 1024 * 1024 : 0,
                PidsLimit = spec.Pids,
            },
        };
        if (spec.Confined)
        {
            parameters.HostConfig.CapDrop = ["ALL"];
            parameters.HostConfig.SecurityOpt = ["no-new-privileges"];
            parameters.HostConfig.ReadonlyRootfs = true;
            parameters.HostConfig.Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,nosuid,nodev,size=256m" };
        }
        await SamePlatformAsync(spec.Image, cancellationToken).ConfigureAwait(false);
        var created = await Call(() => _docker.Containers.CreateContainerAsync(parameters, cancellationToken), spec.Image).ConfigureAwait(false);
        return created.ID;
    }

    /// <summary>
    /// An image built for another CPU than the engine's is refused here, in words, rather than failing later with
    /// "exec format error" inside; Docker Desktop, which runs other platforms' images under emulation, is let be. A
    /// missing image is left to the create, which says to pull it.
    /// </summary>
    private async Task SamePlatformAsync(string image, CancellationToken cancellationToken)
    {
        ImageInspectResponse inspected;
        try
        {
            inspected = await _docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException)
        {
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Explain(e, _address, _name);
        }
        if (string.IsNullOrEmpty(inspected.Architecture) || string.IsNullOrEmpty(Version.Arch) || inspected.Architecture == Version.Arch) return;
        var info = await Call(() => _docker.System.GetSystemInfoAsync(cancellationToken), null).ConfigureAwait(false);
        if (info.OperatingSystem?.Contains("Docker Desktop", StringComparison.OrdinalIgnoreCase) == true) return;
        throw new EngineException($"The image '{image}' is built for {inspected.Os ?? "linux"}/{inspected.Architecture}, and {_name} runs {Version.Os}/{Version.Arch}: "
            + $"choose an image built for {Version.Arch} (or one for several platforms), or run the task on an engine of that architecture.", EngineFix.Image);
    }

    public Task StartAsync(string containerId, CancellationToken cancellationToken) =>
        Call(() => _docker.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken), null);

    /// <summary>Removes a container, running or not; one already gone is not an error.</summary>
    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await _docker.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Explain(e, _address, _name);
        }
    }

    /// <summary>The containers, running or not, carrying this label with this value.</summary>
    public async Task<IReadOnlyList<ContainerEntry>> ListAsync(string label, string value, CancellationToken cancellationToken)
    {
        var found = await Call(() => _docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{label}={value}"] = true } },
        }, cancellationToken), null).ConfigureAwait(false);
        return [.. found.Select(c => new ContainerEntry(c.ID, c.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(c.Labels), c.State == "running"))];
    }

    /// <summary>Waits until the container stops, then says how: its exit code, and whether it ran out of memory.</summary>
    public async Task<ContainerStop> WaitAsync(string containerId, CancellationToken cancellationToken)
    {
        var waited = await Call(() => _docker.Containers.WaitContainerAsync(containerId, cancellationToken), null).ConfigureAwait(false);
        var inspected = await Call(() => _docker.Containers.InspectContainerAsync(containerId, cancellationToken), null).ConfigureAwait(false);
        return new ContainerStop(waited.StatusCode, inspected.State?.OOMKilled == true);
    }

    /// <summary>
    /// Runs a command in a running container, handing its output to <paramref name="output"/> as it comes (stdout and
    /// stderr apart, as text); returns its exit code.
    /// </summary>
    public async Task<int> ExecAsync(string containerId, ExecSpec spec, Action<ExecStream, string> output, CancellationToken cancellationToken)
    {
        var (execId, started) = await StartExecAsync(containerId, spec, spec.Stdin is not null, cancellationToken).ConfigureAwait(false);
        using (var stream = started)
        {
            // Written beside the reading, then closed: a command that never reads it must not hold its output back.
            var input = spec.Stdin is { } text ? WriteInputAsync(stream, text, cancellationToken) : Task.CompletedTask;
            // A decoder per stream: a character's bytes may be split across two frames.
            var decoders = new[] { Encoding.UTF8.GetDecoder(), Encoding.UTF8.GetDecoder() };
            var buffer = new byte[16 * 1024];
            var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
            for (;;)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                if (read.EOF) break;
                var which = read.Target == MultiplexedStream.TargetStream.StandardError ? ExecStream.Stderr : ExecStream.Stdout;
                var n = decoders[(int)which].GetChars(buffer, 0, read.Count, chars, 0);
                if (n > 0) output(which, new string(chars, 0, n));
            }
            await input.ConfigureAwait(false);
        }
        var inspected = await Call(() => _docker.Exec.InspectContainerExecAsync(execId, cancellationToken), null).ConfigureAwait(false);
        return (int)(inspected.ExitCode ?? -1);
    }

    /// <summary>Makes and starts an exec of <paramref name="spec"/> with no terminal, its output (and its input, when asked) attached.</summary>
    private async Task<(string Id, MultiplexedStream Stream)> StartExecAsync(string containerId, ExecSpec spec, bool input, CancellationToken cancellationToken)
    {
        var exec = await Call(() => _docker.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = [.. spec.Command],
            User = spec.User!,
            WorkingDir = spec.WorkingDir!,
            Env = [.. spec.Env],
            AttachStdin = input,
            AttachStdout = true,
            AttachStderr = true,
        }, cancellationToken), null).ConfigureAwait(false);
        return (exec.ID, await Call(() => _docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), cancellationToken), null).ConfigureAwait(false));
    }

    /// <summary>Writes a command's input and closes it; a command that ended or does not read it is no error.</summary>
    private static async Task WriteInputAsync(MultiplexedStream stream, string text, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            await stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
            stream.CloseWrite();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The command is gone, or did not wait for its input: what it wrote is still read.
        }
    }

    /// <summary>
    /// Whether the engine can bind-mount <paramref name="folder"/>: false for an engine on another machine (its
    /// folders are not this one's); on this machine, a container is made (never started) from an image the engine
    /// has, binding the folder, and removed. Null when the engine has no image to try it with.
    /// </summary>
    public async Task<bool?> CanMountAsync(string folder, CancellationToken cancellationToken)
    {
        if (!_address.OnThisMachine) return false;
        var images = await Call(() => _docker.Images.ListImagesAsync(new ImagesListParameters(), cancellationToken), null).ConfigureAwait(false);
        if (images.FirstOrDefault(i => i.RepoTags is { Count: > 0 }) is not { } image) return null;
        string id;
        try
        {
            id = await CreateContainerAsync(new ContainerSpec
            {
                Image = image.RepoTags[0],
                Command = ["true"],
                Labels = new Dictionary<string, string> { ["plue.check"] = "mount" },
                Binds = [(folder, "/plue-mount-check", true)],
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException)
        {
            return false;
        }
        await RemoveAsync(id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Runs one Engine API call, its failure told in the user's words.</summary>
    private async Task<T> Call<T>(Func<Task<T>> call, string? image)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException e) when (image is not null)
        {
            throw new EngineException($"The image '{image}' is not on {_name}: pull or build it there first (docker pull {image}).", EngineFix.Image, e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not EngineException)
        {
            throw Explain(e, _address, _name);
        }
    }

    private Task Call(Func<Task> call, string? image) => Call(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    }, image);

    /// <summary>A failure to reach or use the engine, in the user's words with what to do next.</summary>
    internal static EngineException Explain(Exception e, EngineAddress address, string engineName)
    {
        if (e is EngineException known) return known;
        if (Find<SocketException>(e) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.AccessDenied => new EngineException(
                    $"Plue may not use {engineName}: its socket refuses this user. Add yourself to the docker group (sudo usermod -aG docker $USER, then sign in again), or use rootless Docker.", EngineFix.Permission, e),
                // A Unix socket that does not exist is ENOENT, which .NET calls AddressNotAvailable: nothing listens there.
                _ when address.OnThisMachine => new EngineException(
                    $"No Docker engine answers at {address} ({engineName}): start Docker, or set the engine's host to the socket it listens on.", EngineFix.StartEngine, e),
                SocketError.HostNotFound or SocketError.NoData or SocketError.AddressNotAvailable => new EngineException(
                    $"{engineName} cannot be found at {address}: check the engine's host.", EngineFix.Address, e),
                _ => new EngineException(
                    $"No Docker engine answers at {address} ({engineName}): check that it runs and listens there.", EngineFix.StartEngine, e),
            };
        }
        if (Find<AuthenticationException>(e) is not null)
            return new EngineException($"The TLS handshake with {engineName} failed: its certificates and the CA, certificate and key given do not match. Check the three files.", EngineFix.Certificates, e);
        if (e is OperationCanceledException or TimeoutException)
            return new EngineException($"{engineName} did not answer within {s_answerTime.TotalSeconds:0} s: check that it runs and that {address} reaches it.", EngineFix.StartEngine, e);
        if (e is DockerApiException api)
        {
            return api.StatusCode == HttpStatusCode.Unauthorized || api.StatusCode == HttpStatusCode.Forbidden
                ? new EngineException($"{engineName} refused Plue's request: {EngineMessage(api)}. Check its TLS certificates or its access rules.", EngineFix.Certificates, e)
                : new EngineException($"{engineName} refused the request: {EngineMessage(api)}.", EngineFix.StartEngine, e);
        }
        if (Find<HttpRequestException>(e) is { } http)
            return new EngineException($"{engineName} at {address} did not answer as a Docker engine ({Reason(http)}): check the engine's host.", EngineFix.Address, e);
        return new EngineException($"{engineName} failed: {Reason(e)}.", EngineFix.StartEngine, e);
    }

    /// <summary>The engine's own message out of its JSON error body, on one line.</summary>
    private static string EngineMessage(DockerApiException e)
    {
        var body = e.ResponseBody ?? "";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("message", out var message) && message.GetString() is { } text) body = text;
        }
        catch (JsonException)
        {
        }
        return OneLine(body).TrimEnd('.');
    }

    private static string Reason(Exception e) => OneLine(e.Message).TrimEnd('.');

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }

    public void Dispose() => _docker.Dispose();
}
