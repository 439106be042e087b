using System.Net.Sockets;
using System.Text;

namespace Plue.Sandbox;

/// <summary>One thing the sandbox's watch saw a confined process do (bridge/plue-sandbox-bridge.c, <c>--report</c>).</summary>
/// <param name="Kind"><c>denied</c> (the kernel answered EROFS: a read-only place of the sandbox), <c>missing</c> (a
/// folder or Unix socket the sandbox does not show), <c>private</c> (written in the sandbox's own /tmp or hidden home).</param>
/// <param name="Call">The system call: open, mkdir, unlink, rename, link, symlink, truncate, chmod, connect…</param>
/// <param name="Path">The real path, as the sandbox resolved it (its folder's links followed).</param>
public sealed record SandboxEvent(string Kind, string Call, string Path)
{
    public const string Denied = "denied";
    public const string Missing = "missing";
    public const string Private = "private";
}

/// <summary>What one sandbox's watch reported: whether it watched at all (and why not), and what it saw.</summary>
public sealed record SandboxReport(bool Watched, string? Unwatched, IReadOnlyList<SandboxEvent> Events)
{
    public static readonly SandboxReport None = new(false, "the sandbox's watch did not report", []);
}

/// <summary>
/// The sidecar's end of one sandbox's watch: a Unix socket in a folder of its own (0700), bound into the sandbox at
/// <see cref="SocketInSandbox"/>, which the bridge connects to before the command starts. Only that first connection is
/// taken (the listener is closed at once): the command, started after it, can reach nothing that is read, so what it
/// prints or sends forges no denial. The bridge writes a line per event before the call it saw goes on, and closes
/// the socket when the command ends.
/// </summary>
public sealed class SandboxWatch : IDisposable
{
    /// <summary>Where the socket is bound in the sandbox: its private <c>/tmp</c>, a dot-name.</summary>
    public const string SocketInSandbox = "/tmp/.plue-watch.sock";

    private const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// How long a report may take once the sandbox's process has exited: the bridge connected before the command ran and
    /// closed its end as the command ended, so only a loaded machine's scheduling is left (a bwrap that failed to start
    /// the bridge at all costs the call no more than this).
    /// </summary>
    public static readonly TimeSpan EndWait = TimeSpan.FromSeconds(2);

    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly string _folder;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<SandboxReport> _report;

    public SandboxWatch()
    {
        // A Unix socket's path holds 107 bytes: a long TMPDIR gives way to /tmp.
        var temp = Path.GetTempPath().Length <= 60 ? Path.GetTempPath() : "/tmp";
        _folder = Path.Combine(temp, $"plue-watch-{Guid.NewGuid():N}"[..24]);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(_folder);
        else Directory.CreateDirectory(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        SocketPath = Path.Combine(_folder, "watch.sock");
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(1);
        _report = ReadAsync();
    }

    /// <summary>Whether this machine's sandboxes can be watched: the C bridge is there (plue's own bridge has no watch).</summary>
    public static bool Available => SandboxBridge.Watching(SandboxBridge.Found) is not null;

    public string SocketPath { get; }

    /// <summary>Why the last sandbox that should have been watched was not (the kernel refused the filter); null when it was.</summary>
    public static string? LastUnwatched { get; private set; }

    /// <summary>Remembers whether <paramref name="report"/>'s sandbox was watched, for the status.</summary>
    public static void Saw(SandboxReport report) => LastUnwatched = report.Watched ? null : report.Unwatched;

    /// <summary>How this sidecar finds denials, for the status: null when its sandboxes are watched.</summary>
    public static string? Status => !Available
        ? "denials are read from the commands' output: the sandbox's watch needs the bridge built beside the sidecar"
        : LastUnwatched is { } why ? $"denials are read from the commands' output: the sandbox's watch could not start ({why})" : null;

    /// <summary>
    /// What the watch reported, once the sandbox has ended (its bridge closes the socket then); <see cref="SandboxReport.None"/>
    /// when it never connected or did not end within <paramref name="wait"/>.
    /// </summary>
    public async Task<SandboxReport> EndAsync(TimeSpan wait)
    {
        if (await Task.WhenAny(_report, Task.Delay(wait)).ConfigureAwait(false) == _report) return await _report.ConfigureAwait(false);
        _stop.Cancel();
        return SandboxReport.None;
    }

    private readonly Lock _lock = new();
    private readonly List<SandboxEvent> _events = [];
    private bool _watched;
    private string? _unwatched;

    /// <summary>How many events have arrived so far (a long-lived child's watch reports while it runs).</summary>
    public int EventCount
    {
        get
        {
            lock (_lock) return _events.Count;
        }
    }

    /// <summary>The events that arrived after the first <paramref name="mark"/>.</summary>
    public IReadOnlyList<SandboxEvent> EventsSince(int mark)
    {
        lock (_lock) return mark >= _events.Count ? [] : _events[mark..];
    }

    private async Task<SandboxReport> ReadAsync()
    {
        Socket connection;
        try
        {
            connection = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return SandboxReport.None;
        }
        finally
        {
            // The first connection is the bridge's, made before the command runs: no other is ever read.
            _listener.Dispose();
            TryDelete();
        }
        using (connection)
        {
            var pending = new List<byte>();
            var buffer = new byte[16 * 1024];
            long total = 0;
            try
            {
                int read;
                while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false)) > 0 && total < MaxBytes)
                {
                    total += read;
                    pending.AddRange(buffer.AsSpan(0, read));
                    int end;
                    while ((end = pending.IndexOf((byte)'\n')) >= 0)
                    {
                        var line = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending)[..end]);
                        pending.RemoveRange(0, end + 1);
                        lock (_lock) Take(line, ref _watched, ref _unwatched, _events);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // What arrived before is kept.
            }
            lock (_lock) return Report(_watched, _unwatched, [.. _events]);
        }
    }

    /// <summary>The bridge's lines: <c>kind TAB call TAB path</c>, the path's tab, newline and backslash escaped.</summary>
    public static SandboxReport Parse(string text)
    {
        var watched = false;
        string? unwatched = null;
        var events = new List<SandboxEvent>();
        foreach (var line in text.Split('\n')) Take(line, ref watched, ref unwatched, events);
        return Report(watched, unwatched, events);
    }

    private static SandboxReport Report(bool watched, string? unwatched, List<SandboxEvent> events) =>
        new(watched, watched ? null : unwatched ?? "the sandbox's watch did not start", events);

    private static void Take(string line, ref bool watched, ref string? unwatched, List<SandboxEvent> events)
    {
        var fields = line.Split('\t', 3);
        if (fields.Length != 3) return;
        switch (fields[0])
        {
            case "watching": watched = true; break;
            case "unwatched": unwatched = $"{fields[1]}: {fields[2]}"; break;
            case SandboxEvent.Denied or SandboxEvent.Missing or SandboxEvent.Private:
                if (events.Count < 512) events.Add(new SandboxEvent(fields[0], fields[1], Unescape(fields[2])));
                break;
        }
    }

    private static string Unescape(string path)
    {
        if (!path.Contains('\\')) return path;
        var text = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] != '\\' || i + 1 == path.Length) text.Append(path[i]);
            else text.Append(path[++i] switch { 'n' => '\n', 't' => '\t', var c => c });
        }
        return text.ToString();
    }

    private void TryDelete()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in the temp folder: an empty folder or a socket nothing listens on.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        TryDelete();
    }
}

/// <summary>
/// What a long-lived sandboxed child (an MCP server) is refused while it runs: its watch's events and the hosts its
/// own proxy refused, read from a mark taken before a call. A mark starts where the last call's report ended, so what
/// the server was refused between calls (a background connection) is told with its next call, in the chat or task
/// that made it; what stays untold while no call runs for a quiet while (<see cref="WhenUnheard"/>) is told to the
/// window instead, since the server may never be called again.
/// </summary>
public sealed class ChildDenials(SandboxWatch? watch, SandboxProxy? proxy) : IDisposable
{
    private int _toldEvents;
    private int _toldHosts;
    private int _calls;
    private long _quietSince = Environment.TickCount64;
    private Timer? _listening;

    /// <summary>Where a call begins: the mark its denials are read from (<see cref="Since"/>); <see cref="Ended"/> follows it.</summary>
    public (int Events, int Hosts) Mark()
    {
        Interlocked.Increment(ref _calls);
        return Told();
    }

    /// <summary>The call <see cref="Mark"/> began has ended (or failed).</summary>
    public void Ended()
    {
        Volatile.Write(ref _quietSince, Environment.TickCount64);
        Interlocked.Decrement(ref _calls);
    }

    private (int Events, int Hosts) Told() => (Volatile.Read(ref _toldEvents), Volatile.Read(ref _toldHosts));

    /// <summary>
    /// How long what a child is refused is gathered from the first refusal before it is told to the window: a file's
    /// refusal comes at once, a host's through the proxy a moment later, and the user gets one notice of both.
    /// </summary>
    public static readonly TimeSpan Gathering = TimeSpan.FromMilliseconds(1500);

    /// <summary>When the first refusal not yet told was seen (0: none waiting).</summary>
    private long _untoldSince;

    /// <summary>
    /// Tells <paramref name="unheard"/> what the child was refused that no call has told, once no call has run for
    /// <paramref name="quiet"/> (from its start, or its last call's end): a refusal between calls waits that long for
    /// the next call's card first. What comes within <see cref="Gathering"/> of the first refusal is told with it.
    /// </summary>
    public void WhenUnheard(TimeSpan quiet, Action<IReadOnlyList<SandboxDenial>> unheard)
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(quiet.TotalMilliseconds / 4, 100, 500));
        _listening = new Timer(_ =>
        {
            var now = Environment.TickCount64;
            if (!Untold())
            {
                Volatile.Write(ref _untoldSince, 0);
                return;
            }
            if (Interlocked.CompareExchange(ref _untoldSince, now, 0) == 0) return;
            if (now - Volatile.Read(ref _untoldSince) < Gathering.TotalMilliseconds) return;
            if (Volatile.Read(ref _calls) > 0 || now - Volatile.Read(ref _quietSince) < quiet.TotalMilliseconds) return;
            Volatile.Write(ref _untoldSince, 0);
            if (Since(Told()) is { Denials.Count: > 0 } seen) unheard(seen.Denials);
        }, null, period, period);
    }

    /// <summary>Whether something arrived since the last told (an event of the watch, a host the proxy refused).</summary>
    private bool Untold() => (watch?.EventCount ?? 0) > Volatile.Read(ref _toldEvents) || (proxy?.Denials.Count ?? 0) > Volatile.Read(ref _toldHosts);

    /// <summary>The denials since <paramref name="mark"/>, and what was written in the sandbox's private folders since.</summary>
    public (IReadOnlyList<SandboxDenial> Denials, IReadOnlyList<SandboxEvent> Events) Since((int Events, int Hosts) mark)
    {
        var events = watch?.EventsSince(mark.Events) ?? [];
        var allHosts = proxy?.Denials ?? [];
        var hosts = allHosts.Skip(mark.Hosts).ToList();
        InterlockedMax(ref _toldEvents, mark.Events + events.Count);
        InterlockedMax(ref _toldHosts, allHosts.Count);
        return (SandboxDenials.Find(new SandboxReport(true, null, events), hosts), events);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    public void Dispose()
    {
        _listening?.Dispose();
        watch?.Dispose();
        proxy?.Dispose();
    }
}
