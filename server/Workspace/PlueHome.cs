namespace Plue.Workspace;

/// <summary>
/// Where the store lives: the client's choice, else PLUE_HOME, else ~/.plue.
/// It holds secrets, so it is created, and kept, private to the user (0700).
/// </summary>
public static class PlueHome
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static string Resolve(string? fromClient)
    {
        var chosen = !string.IsNullOrWhiteSpace(fromClient) ? fromClient
            : Environment.GetEnvironmentVariable("PLUE_HOME") is { Length: > 0 } fromEnv ? fromEnv
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".plue");
        return Path.GetFullPath(chosen);
    }

    /// <summary>
    /// Creates the folder if needed and makes sure only the user can enter it. A path that cannot be that folder (a
    /// file, a device, a folder of the system's) is an <see cref="IOException"/> that says so in words, what to do included.
    /// </summary>
    public static string Ensure(string path)
    {
        if (File.Exists(path) && !Directory.Exists(path))
            throw new IOException($"The Plue home {path} is a file, not a folder. Give a folder (--home <dir> or PLUE_HOME), or leave both unset for ~/.plue.");
        try
        {
            return Create(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The Plue home {path} cannot be made a private folder of yours ({e.Message.TrimEnd('.')}). Give a folder you own "
                + "(--home <dir> or PLUE_HOME), or leave both unset for ~/.plue.", e);
        }
    }

    private static string Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return path;
        }
        Directory.CreateDirectory(path, Private);
        if (File.GetUnixFileMode(path) != Private) File.SetUnixFileMode(path, Private);
        return path;
    }
}
