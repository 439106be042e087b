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

    /// <summary>Creates the folder if needed and makes sure only the user can enter it.</summary>
    public static string Ensure(string path)
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
