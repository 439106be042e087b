using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Plue.Processes;

namespace Plue.Engines;

/// <summary>An ssh:// engine's address as Docker writes it: <c>ssh://[user@]host[:port][/path/to/docker.sock]</c>.</summary>
public sealed partial record EngineSshTarget(string? User, string Host, int? Port, string RemoteSocket)
{
    /// <summary>Where a rootful engine listens; rootless Docker's socket is written after the host.</summary>
    public const string DefaultSocket = "/var/run/docker.sock";

    public string Destination => User is null ? Host : $"{User}@{Host}";

    /// <summary>The command that signs in as the tunnel does, for the user to try in a terminal.</summary>
    public string SignIn => Port is { } port ? $"ssh -p {port} {Destination}" : $"ssh {Destination}";

    /// <summary>The address's parts; one ssh would misread (an option for a host, a socket path with a colon) is refused.</summary>
    public static EngineSshTarget Parse(string address)
    {
        var text = address.Trim();
        var rest = text.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase) ? text["ssh://".Length..] : "";
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var (authority, path) = slash < 0 ? (rest, "") : (rest[..slash], rest[slash..]);
        var at = authority.LastIndexOf('@');
        var user = at < 0 ? null : authority[..at];
        var hostPort = authority[(at + 1)..];
        var bracketed = hostPort.StartsWith('[') && hostPort.IndexOf(']', StringComparison.Ordinal) > 0;
        var hostEnd = bracketed ? hostPort.IndexOf(']', StringComparison.Ordinal) + 1 : hostPort.LastIndexOf(':') is var colon and >= 0 ? colon : hostPort.Length;
        var host = bracketed ? hostPort[1..(hostEnd - 1)] : hostPort[..hostEnd];
        var portText = hostPort[hostEnd..] is [':', .. var digits] ? digits : hostPort[hostEnd..] is "" ? null : "?";
        int? port = portText is null ? null : int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536 ? p : -1;
        var socket = path is "" or "/" ? DefaultSocket : path;
        if ((user is not null && !UserName().IsMatch(user)) || !(bracketed ? Ipv6().IsMatch(host) : HostName().IsMatch(host)) || port == -1 || !SocketPath().IsMatch(socket))
        {
            throw new EngineException(
                $"'{text}' is not an ssh:// engine's address: write it as ssh://user@host, ssh://user@host:2222, or with the engine's socket after the host (ssh://user@host/run/user/1000/docker.sock).",
                EngineFix.Address);
        }
        return new EngineSshTarget(user, host, port, socket);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.][A-Za-z0-9_.-]*$")]
    private static partial Regex UserName();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^[0-9A-Fa-f:.]+$")]
    private static partial Regex Ipv6();

    /// <summary>An absolute path with no colon (ssh's -L would split there) and no space or control character.</summary>
    [GeneratedRegex(@"^/[^:\s\p{Cc}]+$")]
    private static partial Regex SocketPath();
}

/// <summary>
/// The way to an ssh:// engine: the machine's own <c>ssh</c> client forwards a Unix socket of the sidecar's own (in a
/// 0700 folder) to the engine's socket on that host, and the Engine API is spoken over it as to a local engine. One per
/// address, shared by every connection to it and started again when it has ended; ended when the sidecar stops (killed,
/// by the watchdog: its environment holds the sidecar's mark). BatchMode: never a prompt; a host key not known yet or a
/// key refused ends it within seconds, told on one line with what to do.
/// </summary>
public sealed class EngineSshTunnel
{
    /// <summary>How long ssh may take to sign in and forward; it gives up on the connection itself after 10 s.</summary>
    private static readonly TimeSpan s_readyTime = TimeSpan.FromSeconds(20);
    private static readonly ConcurrentDictionary<string, EngineSshTunnel> s_tunnels = new(StringComparer.Ordinal);
    private static readonly Lazy<string> s_folder = new(Folder);
    private static int s_count;

    // What ssh needs of the sidecar's environment and nothing else: where the user's keys, config and known hosts are,
    // their agent, PATH and SHELL for a ProxyCommand, and on Windows the profile and system folders.
    private static readonly string[] s_sshNeeds = ["HOME", "SSH_AUTH_SOCK", "PATH", "SHELL", "USER", "LOGNAME", "USERPROFILE", "SYSTEMROOT", "PROGRAMDATA"];

    private readonly EngineSshTarget _target;
    private readonly string _socket;
    private readonly Lock _gate = new();
    /// <summary>ssh's last lines on stderr, numbered: why it ended, or a forward the host refused.</summary>
    private readonly ConcurrentQueue<(long Number, string Line)> _said = new();
    private long _heard;
    private Process? _ssh;
    private Task<Func<string, EngineException>?> _ready = Task.FromResult<Func<string, EngineException>?>(null);

    private EngineSshTunnel(EngineSshTarget target)
    {
        _target = target;
        _socket = Path.Combine(s_folder.Value, $"engine-{Interlocked.Increment(ref s_count)}.sock");
    }

    /// <summary>The local end, where the Engine API is spoken.</summary>
    public EngineAddress Local => new(EngineReach.Unix, "unix://" + _socket);

    /// <summary>How many lines ssh has said so far: <see cref="RefusedAsync"/> looks only at later ones.</summary>
    public long Heard => Interlocked.Read(ref _heard);

    /// <summary>The address's tunnel, started (again) unless it runs; a failure to sign in is an <see cref="EngineException"/>.</summary>
    public static async Task<EngineSshTunnel> OpenAsync(EngineAddress address, string engineName, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
            throw new EngineException($"{engineName} is reached over SSH, which Plue does on Linux and macOS only: reach it over tcp:// with TLS here.", EngineFix.Address);
        var tunnel = s_tunnels.GetOrAdd(address.Value, value => new EngineSshTunnel(EngineSshTarget.Parse(value)));
        Task<Func<string, EngineException>?> ready;
        lock (tunnel._gate)
        {
            if (tunnel._ssh is null || tunnel._ssh.HasExited || (tunnel._ready.IsCompletedSuccessfully && !File.Exists(tunnel._socket))) tunnel._ready = tunnel.Start();
            ready = tunnel._ready;
        }
        if (await ready.WaitAsync(cancellationToken).ConfigureAwait(false) is { } failure) throw failure(engineName);
        return tunnel;
    }

    private Task<Func<string, EngineException>?> Start()
    {
        if (_ssh is { } before)
        {
            Stop(before);
            before.Dispose();
            _ssh = null;
        }
        if (!OperatingSystem.IsWindows()) Directory.CreateDirectory(s_folder.Value, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Delete(_socket); // a dead tunnel's socket would pass for a ready one
        var start = ChildLauncher.StartInfo(new ChildCommand
        {
            Program = "ssh",
            Arguments = Arguments(),
            Environment = env => ChildEnvironment.ApplyOnly(env, s_sshNeeds),
        });
        Process ssh;
        try
        {
            ssh = ChildLauncher.Start(start) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception)
        {
            return Task.FromResult<Func<string, EngineException>?>(name => new EngineException(
                $"Plue reaches {name} with the ssh command, which is not installed here: install OpenSSH's client, then test again.", EngineFix.Ssh));
        }
        var heard = Heard;
        ssh.ErrorDataReceived += (_, e) => Hear(e.Data);
        ssh.OutputDataReceived += (_, _) => { }; // -N prints nothing; read anyway so a full pipe never stops it
        ssh.BeginErrorReadLine();
        ssh.BeginOutputReadLine();
        ssh.StandardInput.Close();
        _ssh = ssh;
        return WaitReadyAsync(ssh, heard);
    }

    private List<string> Arguments()
    {
        List<string> arguments =
        [
            "-N", "-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes", "-o", "StreamLocalBindUnlink=yes", "-o", "ConnectTimeout=10",
            // A host gone silent ends the tunnel within 45 s, so the next call starts a new one rather than wait on it.
            "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3",
            // Its own connection, never a shared master's: that master would hold the socket after this process ends.
            "-o", "ControlMaster=no", "-o", "ControlPath=none",
            "-L", $"{_socket}:{_target.RemoteSocket}",
        ];
        if (_target.Port is { } port) arguments.AddRange(["-p", port.ToString(CultureInfo.InvariantCulture)]);
        arguments.AddRange(["--", _target.Destination]);
        return arguments;
    }

    private void Hear(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        _said.Enqueue((Interlocked.Increment(ref _heard), line.Trim()));
        while (_said.Count > 20) _said.TryDequeue(out _);
    }

    /// <summary>Null once the socket listens (ssh forwards only after signing in); else why not, told for an engine's name.</summary>
    private async Task<Func<string, EngineException>?> WaitReadyAsync(Process ssh, long before)
    {
        var started = Stopwatch.GetTimestamp();
        while (!Listens())
        {
            if (ssh.HasExited)
            {
                await ssh.WaitForExitAsync().ConfigureAwait(false); // its last lines read
                var said = string.Join(' ', _said.Where(l => l.Number > before).Select(l => l.Line));
                return name => Failure(said, name);
            }
            if (Stopwatch.GetElapsedTime(started) > s_readyTime)
            {
                Stop(ssh);
                return name => new EngineException(
                    $"{name} did not answer over SSH within {s_readyTime.TotalSeconds:0} s: check that `{_target.SignIn}` signs in from a terminal, then test again.", EngineFix.StartEngine);
            }
            await Task.Delay(25).ConfigureAwait(false);
        }
        return null;
    }

    private bool Listens()
    {
        if (!File.Exists(_socket)) return false;
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(_socket));
            return true;
        }
        catch (SocketException)
        {
            return false; // bound, not listening yet
        }
    }

    /// <summary>Why ssh ended before forwarding, from what it said, in the user's words with what to do.</summary>
    private EngineException Failure(string said, string engineName)
    {
        var host = _target.Host;
        var tryIt = $"`{_target.SignIn}`";
        if (said.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal))
            return new EngineException($"The host key of {host} has changed since ssh last saw it ({engineName}): if that machine was set up again, remove its old key (ssh-keygen -R {(_target.Port is { } at ? $"\"[{host}]:{at}\"" : host)}), run {tryIt} once in a terminal to accept the new one, then test again.", EngineFix.Ssh);
        if (said.Contains("Host key verification failed", StringComparison.Ordinal))
            return new EngineException($"ssh does not know the host key of {host} yet ({engineName}): run {tryIt} once in a terminal to accept its host key and check your key, then test again.", EngineFix.Ssh);
        if (said.Contains("Permission denied", StringComparison.Ordinal))
            return new EngineException($"{host} refused your ssh key for {_target.User ?? "your user"} ({engineName}): add the key to your ssh agent (ssh-add) or name it in ~/.ssh/config, check that {tryIt} signs in with no password, then test again.", EngineFix.Ssh);
        if (said.Contains("Could not resolve hostname", StringComparison.Ordinal))
            return new EngineException($"{engineName} cannot be found at ssh://{_target.Destination}: check the engine's host.", EngineFix.Address);
        if (said.Contains("Connection refused", StringComparison.Ordinal))
            return new EngineException($"Nothing answers SSH at {host}{(_target.Port is { } port ? $" port {port}" : "")} ({engineName}): start its SSH server, or check the engine's host and port.", EngineFix.StartEngine);
        if (said.Contains("timed out", StringComparison.Ordinal) || said.Contains("unreachable", StringComparison.Ordinal) || said.Contains("No route to host", StringComparison.Ordinal))
            return new EngineException($"{host} does not answer SSH ({engineName}): check that the machine is up and reachable from here.", EngineFix.StartEngine);
        var reason = said.Length == 0 ? "ssh ended without a word" : said.TrimEnd('.');
        return new EngineException($"{engineName} could not be reached over SSH ({reason}): run {tryIt} in a terminal to see why, then test again.", EngineFix.Ssh);
    }

    /// <summary>
    /// Whether ssh, since it had said <paramref name="since"/> lines, told of the host refusing the way to the engine's
    /// socket (nothing listens there, the user may not use it, or the host forwards no sockets): then that, told.
    /// </summary>
    public async Task<EngineException?> RefusedAsync(long since, string engineName)
    {
        // ssh says it as it closes the connection, so its line may come a moment after the request failed.
        for (var tries = 0; tries < 10; tries++)
        {
            if (_said.FirstOrDefault(l => l.Number > since && l.Line.Contains("open failed", StringComparison.Ordinal)) is { Line: { } line })
            {
                return line.Contains("administratively prohibited", StringComparison.Ordinal)
                    ? new EngineException($"The SSH server of {_target.Host} forwards no sockets ({engineName}): allow it there (AllowStreamLocalForwarding yes in its sshd_config), then test again.", EngineFix.Ssh)
                    : new EngineException($"{_target.Host} answers over SSH, but no Docker engine there answers at {_target.RemoteSocket} for {_target.User ?? "your user"} ({engineName}): start Docker there, add that user to its docker group, or write the engine's socket after the host (ssh://{_target.Destination}/run/user/1000/docker.sock for rootless Docker).", EngineFix.StartEngine);
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
        return null;
    }

    private static void Stop(Process ssh)
    {
        try
        {
            if (!ssh.HasExited) ssh.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// The sidecar's own folder for the tunnels' sockets (named by its process id), removed with their ssh processes
    /// when it exits; those of sidecars that died without exiting (killed) are removed when the next one makes its own.
    /// </summary>
    private static string Folder()
    {
        // A Unix socket's path holds 107 bytes: a long TMPDIR gives way to /tmp.
        var temp = Path.GetTempPath().Length <= 60 ? Path.GetTempPath() : "/tmp";
        RemoveDeadFolders(temp);
        var folder = Path.Combine(temp, $"plue-ssh-{Environment.ProcessId}-{Guid.NewGuid():N}"[..^26]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var tunnel in s_tunnels.Values)
                lock (tunnel._gate)
                    if (tunnel._ssh is { } ssh) Stop(ssh);
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Never made, or already gone.
            }
        };
        return folder;
    }

    private static void RemoveDeadFolders(string temp)
    {
        IEnumerable<string> folders;
        try
        {
            folders = [.. Directory.EnumerateDirectories(temp, "plue-ssh-*-*")];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder).Split('-');
            if (name.Length != 4 || !int.TryParse(name[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || Alive(pid)) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's, or gone meanwhile.
            }
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
