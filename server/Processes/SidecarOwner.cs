using System.Diagnostics;
using System.Globalization;

namespace Plue.Processes;

/// <summary>
/// Who owns work still running (a streaming message, a task's run): this sidecar, as an id, and whether another id's
/// sidecar still lives. Each sidecar holds an exclusive lock (flock on Unix, a share lock on Windows) on
/// <c>$PLUE_HOME/owners/&lt;id&gt;.lock</c> for as long as it runs; the kernel drops it when the process dies however it
/// dies, so "alive" is "that lock cannot be taken": no clock, no pid arithmetic. Only an owner proven dead counts as dead.
/// </summary>
public static class SidecarOwner
{
    public const string FolderName = "owners";

    private static readonly Dictionary<string, FileStream> s_held = new(StringComparer.Ordinal);
    private static readonly Lock s_gate = new();

    /// <summary>"pid-random": unique even when a pid is reused.</summary>
    public static string Id { get; } = $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Takes this sidecar's lock under <paramref name="home"/> (once per home) and removes the lock files of dead owners.</summary>
    public static void Hold(string home)
    {
        var folder = Path.Combine(home, FolderName);
        lock (s_gate)
        {
            if (s_held.ContainsKey(folder)) return;
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            s_held[folder] = Lock(LockPath(home, Id)) ?? throw new IOException($"could not lock {LockPath(home, Id)}");
        }
        foreach (var file in Directory.EnumerateFiles(folder, "*.lock"))
            if (Path.GetFileNameWithoutExtension(file) != Id) _ = IsAlive(Path.GetFileNameWithoutExtension(file), home);
    }

    /// <summary>
    /// Whether <paramref name="owner"/>'s sidecar still runs. A dead owner's lock file is removed. An owner written by
    /// an older sidecar ("pid:start ticks") counts as dead only when no process has that pid, or one started well apart.
    /// </summary>
    public static bool IsAlive(string owner, string home)
    {
        if (owner == Id) return true;
        if (owner.Contains(':', StringComparison.Ordinal)) return LegacyIsAlive(owner);
        if (owner.Length == 0 || owner.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || owner.Contains("..", StringComparison.Ordinal)) return false;
        var path = LockPath(home, owner);
        // Its sidecar took the lock before writing any row under this id: no file means it died and was cleaned up.
        if (!File.Exists(path)) return false;
        using var taken = Lock(path);
        if (taken is null) return true;
        File.Delete(path);
        return false;
    }

    private static string LockPath(string home, string owner) => Path.Combine(home, FolderName, owner + ".lock");

    /// <summary>The file opened exclusively, or null when another process holds it (or it cannot be opened: then alive, not proven dead).</summary>
    private static FileStream? Lock(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            return new FileStream(path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool LegacyIsAlive(string owner)
    {
        var parts = owner.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid) || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var ticks)) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && Math.Abs(process.StartTime.ToUniversalTime().Ticks - ticks) < TimeSpan.TicksPerSecond;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
