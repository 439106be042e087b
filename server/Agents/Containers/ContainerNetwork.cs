using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Plue.Sandbox;

namespace Plue.Agents.Containers;

/// <summary>
/// A container's network, from the sandbox policy its commands run under (docs/CONTAINERS.md, "The network"):
/// <list type="bullet">
/// <item><c>none</c>: Docker's <c>none</c> network, only the container's own loopback.</item>
/// <item><c>allow-list</c>: <c>none</c> too, with the sidecar's proxy as the only way out, as in the bubblewrap sandbox
/// (<see cref="SandboxBridge"/>): a folder of the container's own and the C bridge (built static, so it runs in any
/// image) are bound in read-only, and each command (<see cref="Start"/>) gets a proxy of its own, with its own policy's
/// hosts, listening in that folder; it starts through the bridge, which listens on the container's loopback, hands that
/// listener to the proxy and points the proxy variables at it. What the proxy refused is that command's denials, as on
/// this machine. Only an engine of this machine can reach the folder; elsewhere, or where no static bridge was built,
/// it is <c>none</c>, and <see cref="Why"/> says so.</item>
/// <item><c>engine</c>: a policy with open network gets the engine's own default network (what <c>docker run</c> gives).</item>
/// </list>
/// The network is chosen when the container is made; the hosts are read at every command.
/// </summary>
public sealed partial class ContainerNetwork : IDisposable
{
    public const string None = "none";
    public const string AllowList = "allow-list";
    public const string Engine = "engine";

    /// <summary>Where the proxies' folder and the bridge are bound in the container: its private <c>/tmp</c>, dot-names, as in the sandbox.</summary>
    public const string FolderInContainer = "/tmp/.plue-proxy";
    public const string BridgeInContainer = "/tmp/.plue-bridge";

    private readonly string? _folder;
    private readonly string? _bridge;

    private ContainerNetwork(string mode, string? folder = null, string? bridge = null, string? why = null)
    {
        Mode = mode;
        _folder = folder;
        _bridge = bridge;
        Why = why;
    }

    /// <summary>none | allow-list | engine: what the task's view shows (<c>TaskContainerInfo.Network</c>).</summary>
    public string Mode { get; }

    /// <summary>Why an allow-list policy's container has no network at all (another machine's engine, no static bridge); null otherwise.</summary>
    public string? Why { get; }

    /// <summary>Docker's network mode: <c>none</c>, or <c>default</c> (the engine's own network).</summary>
    public string DockerMode => Mode == Engine ? "default" : "none";

    /// <summary>What is bound in read-only for the proxies: their folder and the bridge; nothing without them.</summary>
    public IReadOnlyList<(string Source, string Target, bool ReadOnly)> Binds =>
        _folder is null ? [] : [(_folder, FolderInContainer, true), (_bridge!, BridgeInContainer, true)];

    /// <summary>
    /// The network for a container whose commands run under <paramref name="policy"/> as <paramref name="user"/>
    /// (<c>uid:gid</c>), on an engine of this machine or not (<paramref name="onThisMachine"/>).
    /// <paramref name="bridge"/>: the C bridge to bind in; null: the one beside the sidecar.
    /// </summary>
    public static ContainerNetwork For(SandboxPolicy policy, bool onThisMachine, string user, string? bridge = null)
    {
        if (policy.IsOff || policy.Network == SandboxNetwork.Open) return new(Engine);
        if (policy.Network == SandboxNetwork.None) return new(None);
        if (!onThisMachine)
            return new(None, why: "An engine on another machine cannot reach Plue's proxy, so the sandbox's allowed hosts are not reachable from its containers: they have no network");
        bridge ??= SandboxBridge.FindNativeBridge()?.Line[0];
        if (bridge is null || !OperatingSystem.IsLinux() || !IsStatic(bridge))
            return new(None, why: "This build of Plue has no bridge that runs in a container (a static plue-sandbox-bridge), so the sandbox's allowed hosts are not reachable from its containers: they have no network");
        return new(AllowList, FolderFor(user), bridge);
    }

    /// <summary>
    /// The proxies' folder on this machine (a Unix socket's path holds 107 bytes: a long TMPDIR gives way to /tmp),
    /// entered only by the container's user: 0700 and theirs where the sidecar may give it (as root), else the
    /// sidecar's and, when the container's user is another, 0711 (entered, not listed: each socket's name is random).
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static string FolderFor(string user)
    {
        var temp = Path.GetTempPath().Length <= 60 ? Path.GetTempPath() : "/tmp";
        var folder = Directory.CreateDirectory(Path.Combine(temp, $"plue-cnet-{Guid.NewGuid():N}"[..26]), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        var ids = user.Split(':');
        if (uint.TryParse(ids[0], out var uid) && uid != Native.GetEuid()
            && !(Native.GetEuid() == 0 && Native.Chown(folder, uid, ids.Length > 1 && uint.TryParse(ids[1], out var gid) ? gid : uid) == 0))
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return folder;
    }

    /// <summary>One command's way out: a proxy of its own with <paramref name="policy"/>'s hosts; null without an allow-list.</summary>
    public Call? Start(SandboxPolicy policy)
    {
        // Only Linux makes one (For).
        if (_folder is null || OperatingSystem.IsWindows()) return null;
        var name = $"{Guid.NewGuid():N}.sock";
        var proxy = SandboxProxy.Start(policy.Network == SandboxNetwork.AllowList ? policy.AllowedHosts : [], Path.Combine(_folder, name));
        // The container's user may not be the sidecar's: the socket is open to any user who can enter its folder.
        File.SetUnixFileMode(proxy.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        return new Call(proxy, $"{FolderInContainer}/{name}");
    }

    /// <summary>A command's proxy: its line started through the bridge, and the hosts it refused.</summary>
    public sealed class Call(SandboxProxy proxy, string socketInContainer) : IDisposable
    {
        /// <summary>The command started through the bridge: it listens, hands the listener over, sets the proxy variables and becomes <paramref name="command"/>.</summary>
        public IReadOnlyList<string> Wrap(IReadOnlyList<string> command) => [BridgeInContainer, SandboxBridge.Flag, socketInContainer, "--", .. command];

        /// <summary>The hosts the proxy refused it, as denials for its card.</summary>
        public IReadOnlyList<SandboxDenial> Denials =>
            [.. proxy.Denials.Distinct(StringComparer.OrdinalIgnoreCase).Select(host => new SandboxDenial(SandboxDenial.Host, host))];

        /// <summary>Its proxy ends with it: a process it left running has no way out from then on.</summary>
        public void Dispose() => proxy.Dispose();
    }

    /// <summary>
    /// Whether <paramref name="path"/> is an ELF executable with no program interpreter: one that needs no C library
    /// of the image it runs in.
    /// </summary>
    public static bool IsStatic(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var header = new byte[64];
            if (file.Read(header) < 64 || !header.AsSpan(0, 4).SequenceEqual("\u007FELF"u8) || header[4] != 2 /* 64-bit */) return false;
            var programHeaders = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(0x20));
            var size = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x36));
            var count = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x38));
            var entry = new byte[4];
            for (var i = 0; i < count; i++)
            {
                file.Position = programHeaders + (long)i * size;
                if (file.Read(entry) < 4) return false;
                if (BinaryPrimitives.ReadUInt32LittleEndian(entry) == 3 /* PT_INTERP */) return false;
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_folder is null) return;
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in the temp folder: an empty folder, or sockets nothing listens on.
        }
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "geteuid")]
        public static partial uint GetEuid();

        [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Chown(string path, uint owner, uint group);
    }
}
