namespace Plue.Tests.Support;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures(params string[] parts) => Path.Combine([Root, "tests", "fixtures", .. parts]);

    /// <summary>The committed, shipped catalog (catalog/ at the root).</summary>
    public static string Catalog => Path.Combine(Root, "catalog");

    /// <summary>Catwalk's source files, kept in the repository (catalog/catwalk) so the import is reproducible anywhere.</summary>
    public static string Catwalk =>
        Environment.GetEnvironmentVariable("PLUE_CATWALK_DIR") is { Length: > 0 } dir ? dir : Path.Combine(Root, "catalog", "catwalk");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "plue-vscode.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("plue-vscode.sln not found above " + AppContext.BaseDirectory);
    }
}
