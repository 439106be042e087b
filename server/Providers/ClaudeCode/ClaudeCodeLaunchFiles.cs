using System.Text;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// The files one CLI process reads at start, in a private temp folder (0700, files 0600) deleted when the process
/// ends: its system prompt (too long for argv) and its MCP config (whose secrets it names, holding them in the CLI's
/// environment only: <see cref="ClaudeCodeMcpConfig.WriteInto"/>). The sidecar holds the
/// folder's <c>owner.lock</c> exclusively while it lives, so a folder a killed sidecar left behind is found (its lock
/// can be taken) and removed at the next start (<see cref="RemoveLeftovers"/>).
/// </summary>
internal sealed class ClaudeCodeLaunchFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const string Prefix = "plue-claude-";
    private const string LockName = "owner.lock";

    private readonly string? _folder;
    private FileStream? _lock;

    private ClaudeCodeLaunchFiles(string? folder, string? systemPrompt, string? mcpConfig, FileStream? ownerLock = null)
    {
        _folder = folder;
        _lock = ownerLock;
        SystemPrompt = systemPrompt;
        McpConfig = mcpConfig;
    }

    public string? SystemPrompt { get; }
    public string? McpConfig { get; }
    /// <summary>The temp folder holding them, bound into the CLI's sandbox (a private /tmp hides the real one).</summary>
    public string? Folder => _folder;

    /// <param name="cliEnvironment">The CLI's variables, which its MCP servers must not inherit; their values are added.</param>
    public static ClaudeCodeLaunchFiles Write(ClaudeCodeLaunch launch, IDictionary<string, string?> cliEnvironment)
    {
        if (launch.SystemPrompt is null && launch.McpConfig is null) return new ClaudeCodeLaunchFiles(null, null, null);
        var folder = Directory.CreateTempSubdirectory(Prefix).FullName;
        FileStream? ownerLock = null;
        try
        {
            ownerLock = new FileStream(Path.Combine(folder, LockName), Options(FileMode.CreateNew, FileAccess.ReadWrite));
            var systemPrompt = launch.SystemPrompt is { } prompt ? WritePrivate(Path.Combine(folder, "system-prompt.md"), prompt) : null;
            var mcpConfig = launch.McpConfig is { } config ? WritePrivate(Path.Combine(folder, "mcp.json"), config.WriteInto(cliEnvironment)) : null;
            return new ClaudeCodeLaunchFiles(folder, systemPrompt, mcpConfig, ownerLock);
        }
        catch
        {
            new ClaudeCodeLaunchFiles(folder, null, null, ownerLock).Delete();
            throw;
        }
    }

    /// <summary>Removes the folders of sidecars that died before deleting them: their secrets must not stay in temp.</summary>
    public static int RemoveLeftovers()
    {
        var removed = 0;
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
            {
                var path = Path.Combine(folder, LockName);
                try
                {
                    if (!File.Exists(path))
                    {
                        // Not yet locked by a sidecar starting now, or left by one that knew no lock: only an old one goes.
                        if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) < TimeSpan.FromMinutes(1)) continue;
                    }
                    else
                    {
                        using var taken = new FileStream(path, Options(FileMode.Open, FileAccess.ReadWrite));
                    }
                    Directory.Delete(folder, recursive: true);
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Its sidecar lives (the lock is held), or the folder is not ours.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No temp folder to look in.
        }
        return removed;
    }

    /// <summary>Removes the folder; safe to call again, and from any thread.</summary>
    public void Delete()
    {
        if (_folder is null) return;
        Interlocked.Exchange(ref _lock, null)?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted already.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in temp, still readable by its owner only.
        }
    }

    private static string WritePrivate(string path, string text)
    {
        using var file = new FileStream(path, Options(FileMode.CreateNew, FileAccess.Write));
        file.Write(new UTF8Encoding(false).GetBytes(text));
        return path;
    }

    /// <summary>Exclusive (flock on Unix), private to the user.</summary>
    private static FileStreamOptions Options(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows() && mode != FileMode.Open) options.UnixCreateMode = OwnerOnly;
        return options;
    }
}
