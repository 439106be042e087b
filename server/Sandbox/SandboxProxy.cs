using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Plue.Sandbox;

/// <summary>
/// The sidecar's HTTP proxy for sandboxed children under an allow-list: <c>CONNECT host:port</c> (HTTPS and any TLS)
/// and plain <c>http://</c> requests reach a host the list names; any other is answered 403 with the reason and
/// reported (<see cref="Denials"/>: a bash call's or hook's own proxy, a hosted agent's (<see cref="AgentProxies"/>), or
/// an MCP server's own, read by each tool call and told to the window when none does (<see cref="ChildDenials"/>)). It reads only the request line and headers: what goes
/// through a tunnel is never looked at. Children reach it only from inside their sandbox: it listens on a Unix socket in
/// a folder of its own (0700) that each sandbox has bound in, and accepts the connections of the loopback listener a
/// sandbox hands it there (<see cref="SandboxBridge"/>), until that sandbox ends.
/// </summary>
public sealed class SandboxProxy : IDisposable
{
    private const int MaxHead = 32 * 1024;
    private static readonly ConcurrentDictionary<string, SandboxProxy> s_shared = new(StringComparer.OrdinalIgnoreCase);

    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    /// <summary>Its own folder, removed with it; null when its caller named the socket (<see cref="Start(IReadOnlyList{string}, string)"/>).</summary>
    private readonly string? _folder;
    private readonly IReadOnlyList<string> _allowed;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _denials = new();
    /// <summary>Hosts the user let through since it started ("Allow this once" on a hosted agent's denial).</summary>
    private readonly ConcurrentQueue<string> _alsoAllowed = new();
    private int _taken;

    private SandboxProxy(IReadOnlyList<string> allowed, string? socketPath = null)
    {
        _allowed = allowed;
        if (socketPath is null)
        {
            // A Unix socket's path holds 107 bytes: a long TMPDIR gives way to /tmp.
            var temp = Path.GetTempPath().Length <= 60 ? Path.GetTempPath() : "/tmp";
            if (Interlocked.Exchange(ref s_swept, 1) == 0) SweepLeftBehind(temp);
            _folder = Path.Combine(temp, $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(_folder);
            else Directory.CreateDirectory(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        SocketPath = socketPath ?? Path.Combine(_folder!, "proxy.sock");
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(64);
        _ = Task.Run(AcceptAsync);
    }

    private const string FolderPrefix = "plue-proxy-";
    private static int s_swept;

    /// <summary>
    /// Removes the proxy folders of sidecars that ended without removing them (killed): those named after a process
    /// that no longer runs, and those of the older naming (no process in the name) whose socket no one listens on.
    /// </summary>
    internal static void SweepLeftBehind(string temp)
    {
        string[] folders;
        try
        {
            folders = Directory.GetDirectories(temp, FolderPrefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder)[FolderPrefix.Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            var left = dash > 0 && int.TryParse(name[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                ? pid != Environment.ProcessId && !Running(pid)
                : dash < 0 && !Listening(Path.Combine(folder, "proxy.sock"));
            if (!left) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's, or going meanwhile.
            }
        }
    }

    private static bool Running(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Listening(string socket)
    {
        if (!File.Exists(socket)) return false;
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The Unix socket a sandbox hands its loopback listener to (bound in as <see cref="SandboxBridge.SocketInSandbox"/>).</summary>
    public string SocketPath { get; }

    private Socket? _loopback;

    /// <summary>
    /// macOS: a port of its own on the host's loopback, where no sandbox has a loopback of its own to hand over (the
    /// Seatbelt profile lets the child connect to this port only); opened at the first ask.
    /// </summary>
    public int LoopbackPort
    {
        get
        {
            lock (_denials)
            {
                if (_loopback is null)
                {
                    _loopback = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    _loopback.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
                    _loopback.Listen(64);
                    var listener = _loopback;
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            while (!_stop.IsCancellationRequested)
                            {
                                var client = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                                _ = Task.Run(() => ServeAsync(client));
                            }
                        }
                        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                        {
                            // Disposed with the proxy.
                        }
                    });
                }
                return ((System.Net.IPEndPoint)_loopback.LocalEndPoint!).Port;
            }
        }
    }

    /// <summary>The <c>host:port</c> of every connection refused so far, in order.</summary>
    public IReadOnlyList<string> Denials => [.. _denials];

    /// <summary>The hosts refused since the last call (each told once), in order.</summary>
    public IReadOnlyList<string> TakeNewDenials()
    {
        lock (_denials)
        {
            var all = _denials.ToArray();
            var taken = all[Math.Min(_taken, all.Length)..];
            _taken = all.Length;
            return taken;
        }
    }

    /// <summary>Lets <paramref name="hostPort"/> through from now on, for what this proxy serves.</summary>
    public void Allow(string hostPort) => _alsoAllowed.Enqueue(hostPort);

    /// <summary>A proxy of its own for one run (a bash call), whose denials are that run's.</summary>
    public static SandboxProxy Start(IReadOnlyList<string> allowed) => new(allowed);

    /// <summary>The same, listening on <paramref name="socketPath"/> in a folder its caller owns (a container's, bound into it); the socket goes with it.</summary>
    public static SandboxProxy Start(IReadOnlyList<string> allowed, string socketPath) => new(allowed, socketPath);

    /// <summary>The proxy the children with this allow-list share that name none of their own (whose denials are nobody's to tell).</summary>
    public static SandboxProxy Shared(IReadOnlyList<string> allowed) =>
        s_shared.GetOrAdd(string.Join(',', allowed.Order(StringComparer.OrdinalIgnoreCase)), _ =>
        {
            // Shared ones live as long as the sidecar: their folders go with it rather than stay in the temp folder.
            if (s_shared.IsEmpty) AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var proxy in s_shared.Values) proxy.Dispose();
            };
            return new SandboxProxy(allowed);
        });

    /// <summary>Whether <paramref name="host"/>:<paramref name="port"/> is on <paramref name="allowed"/>: <c>host</c>, <c>host:port</c> or <c>*.domain</c>.</summary>
    public static bool Allows(IReadOnlyList<string> allowed, string host, int port)
    {
        foreach (var entry in allowed)
        {
            var colon = entry.LastIndexOf(':');
            var (name, wantedPort) = colon > 0 && int.TryParse(entry.AsSpan(colon + 1), out var p) ? (entry[..colon], p) : (entry, 0);
            if (wantedPort != 0 && wantedPort != port) continue;
            if (name.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(name[1..], StringComparison.OrdinalIgnoreCase)
                : string.Equals(name, host, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket sandbox;
            try
            {
                sandbox = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeSandboxAsync(sandbox));
        }
    }

    /// <summary>
    /// One sandbox: takes the loopback listener it sends and serves the connections made to it until the sandbox's
    /// end of this socket closes (its last process is gone) or the proxy is disposed.
    /// </summary>
    private async Task ServeSandboxAsync(Socket sandbox)
    {
        using var owned = sandbox;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        Socket? listener = null;
        try
        {
            // Waits for the message without taking it: the descriptor comes with the real read below.
            if (await sandbox.ReceiveAsync(new byte[1], SocketFlags.Peek, ended.Token).ConfigureAwait(false) == 0) return;
            var descriptor = SandboxBridge.Receive(sandbox.SafeHandle);
            if (descriptor < 0) return;
            var handle = new SafeSocketHandle(descriptor, ownsHandle: true);
            try
            {
                listener = new Socket(handle);
            }
            catch (SocketException)
            {
                handle.Dispose(); // not a socket
                return;
            }
            // Only a stream listener is served: anything else a child could send is closed unused.
            if (listener.SocketType != SocketType.Stream || listener.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)) return;
            _ = WatchEndAsync(sandbox, ended);
            while (!ended.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(ended.Token).ConfigureAwait(false);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
        {
            // The sandbox ended, or sent something that is not a listener.
        }
        finally
        {
            listener?.Dispose();
        }
    }

    private static async Task WatchEndAsync(Socket sandbox, CancellationTokenSource ended)
    {
        var buffer = new byte[64];
        try
        {
            while (await sandbox.ReceiveAsync(buffer, SocketFlags.None, ended.Token).ConfigureAwait(false) > 0)
            {
                // Whatever the child writes here is not read as anything.
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Hung up, or the proxy ended first.
        }
        try
        {
            await ended.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Its serving ended first.
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            var (head, rest) = await ReadHeadAsync(stream).ConfigureAwait(false);
            if (head is null) return;
            var firstLine = head[..head.IndexOf("\r\n", StringComparison.Ordinal)];
            var parts = firstLine.Split(' ');
            if (parts.Length != 3 || Target(parts[0], parts[1]) is not { } target)
            {
                await AnswerAsync(stream, "400 Bad Request", "Plue's sandbox proxy takes CONNECT host:port or an absolute http:// URL.").ConfigureAwait(false);
                return;
            }
            var hostPort = $"{target.Host}:{target.Port}";
            if (!Allows(_allowed, target.Host, target.Port) && !Allows([.. _alsoAllowed], target.Host, target.Port))
            {
                lock (_denials) _denials.Enqueue(hostPort);
                await AnswerAsync(stream, "403 Forbidden", $"Plue's sandbox denied {hostPort}: it is not on the sandbox policy's allowed hosts.").ConfigureAwait(false);
                return;
            }
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(target.Host, target.Port, _stop.Token).ConfigureAwait(false);
            var up = upstream.GetStream();
            if (parts[0] == "CONNECT")
                await stream.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stop.Token).ConfigureAwait(false);
            else
                await up.WriteAsync(Encoding.Latin1.GetBytes(OriginForm(head, parts, target.Path)), _stop.Token).ConfigureAwait(false);
            if (rest.Length > 0) await up.WriteAsync(rest, _stop.Token).ConfigureAwait(false);
            await Task.WhenAny(Pump(stream, up), Pump(up, stream)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The child or the host hung up.
        }
    }

    private async Task Pump(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static (string Host, int Port, string Path)? Target(string method, string target)
    {
        if (method == "CONNECT")
        {
            var colon = target.LastIndexOf(':');
            return colon > 0 && int.TryParse(target.AsSpan(colon + 1), out var port) ? (target[..colon].Trim('[', ']'), port, "") : null;
        }
        return Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme == "http" ? (uri.IdnHost, uri.Port, uri.PathAndQuery) : null;
    }

    /// <summary>The request as the host expects it: its path only, no proxy headers, one request per connection.</summary>
    private static string OriginForm(string head, string[] parts, string path)
    {
        var lines = head.Split("\r\n").Skip(1)
            .Where(l => l.Length > 0 && !l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase));
        return $"{parts[0]} {path} {parts[2]}\r\n{string.Join("\r\n", lines)}\r\nConnection: close\r\n\r\n";
    }

    private static async Task<(string? Head, byte[] Body)> ReadHeadAsync(Stream stream)
    {
        var buffer = new byte[MaxHead];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length)).ConfigureAwait(false);
            if (read == 0) return (null, []);
            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0) return (Encoding.Latin1.GetString(buffer, 0, end + 4), buffer[(end + 4)..length]);
        }
        return (null, []);
    }

    private static async Task AnswerAsync(Stream stream, string status, string text)
    {
        var body = Encoding.UTF8.GetBytes(text + "\n");
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head).ConfigureAwait(false);
        await stream.WriteAsync(body).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _loopback?.Dispose();
        try
        {
            if (_folder is null) File.Delete(SocketPath);
            else Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in the temp folder: an empty folder and a socket nothing listens on.
        }
    }
}
