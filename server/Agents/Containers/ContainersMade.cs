namespace Plue.Agents.Containers;

/// <summary>
/// Whether this Plue home has ever made a container: a file in the home, written before its first container is made.
/// The start's sweep of containers a killed sidecar left asks the engines only then, so a window that never ran a
/// container talks to no engine at start (a connection and a listing on each engine, which a fresh sidecar's profile
/// showed beside its first turn).
/// </summary>
public static class ContainersMade
{
    private const string FileName = "containers-made";

    public static bool In(string home) => File.Exists(Path.Combine(home, FileName));

    public static void Mark(string home)
    {
        var path = Path.Combine(home, FileName);
        try
        {
            if (!File.Exists(path)) File.WriteAllText(path, "This Plue home has made containers: each start removes those a stopped sidecar left.\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A home that cannot be written fails elsewhere first; the container is not refused for this.
        }
    }
}
