using System.Text;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// The files one CLI process reads at start, in a private temp folder (0700, files 0600) deleted when the process
/// ends: its system prompt (too long for argv) and its MCP config (which holds secrets).
/// </summary>
internal sealed class ClaudeCodeLaunchFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string? _folder;

    private ClaudeCodeLaunchFiles(string? folder, string? systemPrompt, string? mcpConfig)
    {
        _folder = folder;
        SystemPrompt = systemPrompt;
        McpConfig = mcpConfig;
    }

    public string? SystemPrompt { get; }
    public string? McpConfig { get; }

    /// <param name="cliEnvironment">The names of the CLI's variables, which its MCP servers must not inherit.</param>
    public static ClaudeCodeLaunchFiles Write(ClaudeCodeLaunch launch, IEnumerable<string> cliEnvironment)
    {
        if (launch.SystemPrompt is null && launch.McpConfig is null) return new ClaudeCodeLaunchFiles(null, null, null);
        var folder = Directory.CreateTempSubdirectory("plue-claude-").FullName;
        try
        {
            var systemPrompt = launch.SystemPrompt is { } prompt ? WritePrivate(Path.Combine(folder, "system-prompt.md"), prompt) : null;
            var mcpConfig = launch.McpConfig is { } config ? WritePrivate(Path.Combine(folder, "mcp.json"), config.Json(cliEnvironment)) : null;
            return new ClaudeCodeLaunchFiles(folder, systemPrompt, mcpConfig);
        }
        catch
        {
            new ClaudeCodeLaunchFiles(folder, null, null).Delete();
            throw;
        }
    }

    /// <summary>Removes the folder; safe to call again, and from any thread.</summary>
    public void Delete()
    {
        if (_folder is null) return;
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
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using var file = new FileStream(path, options);
        file.Write(new UTF8Encoding(false).GetBytes(text));
        return path;
    }
}
