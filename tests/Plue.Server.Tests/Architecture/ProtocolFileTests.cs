using System.Text.RegularExpressions;
using Plue.Protocol;
using Plue.Tests.Support;

namespace Plue.Tests.Architecture;

/// <summary>
/// The wire's types are found by name: each public type of <c>server/Protocol/</c> is the one public type of the file
/// named after it.
/// </summary>
public sealed partial class ProtocolFileTests
{
    private static readonly string s_folder = Path.Combine(RepoPaths.Root, "server", "Protocol");

    [Fact]
    public void EveryProtocolFile_DeclaresOnePublicType_NamedLikeTheFile()
    {
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(s_folder, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var names = PublicDeclaration().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value).ToList();
            if (names.SequenceEqual([Path.GetFileNameWithoutExtension(file)])) continue;
            wrong.Add($"{Path.GetRelativePath(RepoPaths.Root, file)} declares {(names.Count == 0 ? "no public type" : string.Join(", ", names))}");
        }
        Assert.True(wrong.Count == 0, "one public type per file, named like the file:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void EveryPublicProtocolType_HasItsOwnFile()
    {
        var missing = typeof(Contract).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == typeof(Contract).Namespace && !t.IsNested)
            .Select(t => t.Name.Split('`')[0])
            .Where(name => !File.Exists(Path.Combine(s_folder, name + ".cs")))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0, $"public Protocol types without a file of their name in server/Protocol: {string.Join(", ", missing)}");
    }

    /// <summary>A top-level public type (the folder's files use file-scoped namespaces, so those start a line).</summary>
    [GeneratedRegex(@"^public\s+(?:(?:static|sealed|abstract|readonly|partial)\s+)*(?:record\s+struct|record|class|struct|interface|enum)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex PublicDeclaration();
}
