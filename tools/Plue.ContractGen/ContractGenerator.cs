using Plue.ContractGen.Model;

namespace Plue.ContractGen;

/// <summary>Makes the generated files from the contract and tells which checked-in ones are stale.</summary>
public static class ContractGenerator
{
    public const string TypeScriptPath = "extension/src/shared/protocol.ts";
    public const string MarkdownPath = "docs/PROTOCOL.md";
    public const string IntroPath = "tools/Plue.ContractGen/PROTOCOL.intro.md";

    public static IReadOnlyList<GeneratedFile> Generate(string repoRoot) => Generate(repoRoot, ContractReader.Read());

    public static IReadOnlyList<GeneratedFile> Generate(string repoRoot, WireContract contract)
    {
        var intro = File.ReadAllText(Path.Combine(repoRoot, IntroPath));
        return [new(TypeScriptPath, TypeScriptWriter.Write(contract)), new(MarkdownPath, MarkdownWriter.Write(contract, intro))];
    }

    /// <summary>The files whose checked-in copy is missing or differs (line endings aside).</summary>
    public static IReadOnlyList<GeneratedFile> Stale(string repoRoot, IEnumerable<GeneratedFile> files) =>
        files.Where(f =>
        {
            var path = Path.Combine(repoRoot, f.Path);
            return !File.Exists(path) || File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) != f.Content;
        }).ToList();

    public static void Write(string root, IEnumerable<GeneratedFile> files)
    {
        foreach (var file in files)
        {
            var path = Path.Combine(root, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
        }
    }

    /// <summary>The repository's root: the first folder at or above <paramref name="start"/> holding plue-vscode.sln.</summary>
    public static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "plue-vscode.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("plue-vscode.sln not found at or above " + start);
    }
}
