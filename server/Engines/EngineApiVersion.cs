namespace Plue.Engines;

/// <summary>
/// The Engine API version the sidecar speaks with an engine: the engine's own, capped at the newest this client's
/// requests are written for, and never under the oldest they work with. Docker negotiates the same way, so an old
/// engine (Debian 12's serves 1.41) and a new one (Docker Desktop's) both get requests they understand.
/// </summary>
public static class EngineApiVersion
{
    /// <summary>Docker 20.10's API: the oldest whose container, exec and mount fields the requests use as written.</summary>
    public static readonly System.Version Oldest = new(1, 41);

    /// <summary>
    /// Docker 27's API: the newest the requests are written for. Their fields mean the same from <see cref="Oldest"/> up
    /// to here; raise it once a newer engine has run the suite.
    /// </summary>
    public static readonly System.Version Newest = new(1, 47);

    /// <summary>
    /// The version to speak, from the engine's <c>/version</c> answer (<c>ApiVersion</c>, <c>MinAPIVersion</c>); an engine
    /// too old, or one that no longer serves <see cref="Newest"/>'s requests, is an <see cref="EngineException"/>.
    /// </summary>
    public static System.Version Negotiate(string? engineApi, string? engineMinimum, string engineName)
    {
        if (!TryParse(engineApi, out var served))
            throw new EngineException($"{engineName} did not say which API version it serves: is it a Docker engine?", EngineFix.Address);
        if (served < Oldest)
            throw new EngineException($"{engineName} is too old for Plue (it serves API {Text(served)}; Plue needs {Text(Oldest)} or newer, Docker 20.10 or later): update Docker.", EngineFix.Update);
        var chosen = served < Newest ? served : Newest;
        if (TryParse(engineMinimum, out var minimum) && minimum > chosen)
            throw new EngineException($"{engineName} no longer serves API {Text(chosen)} (its oldest is {Text(minimum)}): update Plue.", EngineFix.Update);
        return chosen;
    }

    public static string Text(System.Version version) => $"{version.Major}.{version.Minor}";

    private static bool TryParse(string? text, out System.Version version)
    {
        version = new System.Version(0, 0);
        if (string.IsNullOrWhiteSpace(text) || !System.Version.TryParse(text, out var parsed)) return false;
        version = new System.Version(parsed.Major, Math.Max(parsed.Minor, 0));
        return true;
    }
}
