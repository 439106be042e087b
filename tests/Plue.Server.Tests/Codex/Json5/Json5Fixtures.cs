using System.Text.Json.Nodes;

namespace Plue.Tests.Codex.Json5;

/// <summary>Locates the official json5-tests suite and the reference parser's expected values.</summary>
internal static class Json5Fixtures
{
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);
    private static readonly Lazy<JsonObject> s_expected = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(FixturesDir, "json5-expected.json")))!);

    public static string RepoRoot => s_repoRoot.Value;

    public static string FixturesDir => Path.Combine(RepoRoot, "tests", "fixtures");

    public static string SuiteDir => Path.Combine(FixturesDir, "json5-tests");

    /// <summary>Output of json5-expected.mjs: relative path -> {"value": ...} or {"error": "..."}.</summary>
    public static JsonObject Expected => s_expected.Value;

    public static bool IsCase(string path) => Path.GetExtension(path) is ".json" or ".json5" or ".js" or ".txt";

    public static bool MustParse(string path) => Path.GetExtension(path) is ".json" or ".json5";

    /// <summary>Every file of the suite, as '/'-separated paths relative to the suite folder, sorted.</summary>
    public static IEnumerable<string> AllFiles() =>
        Directory.EnumerateFiles(SuiteDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(SuiteDir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    public static string ReadCase(string relativePath) => File.ReadAllText(Path.Combine(SuiteDir, relativePath));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "plue-vscode.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"plue-vscode.sln not found above {AppContext.BaseDirectory}");
    }
}
