using Plue.Sidecar;
using Plue.Tests.Support;

namespace Plue.Tests.Architecture;

/// <summary>
/// The build keeps the layers ARCHITECTURE.md states: every type of the sidecar, by what its compiled code uses, may
/// reach only the folders its folder's row names. A broken arrow fails here with the file and the arrow.
/// </summary>
public sealed class LayerTests
{
    private static readonly LayerTable s_table = LayerTable.Read(File.ReadAllText(Path.Combine(RepoPaths.Root, "ARCHITECTURE.md")));

    [Fact]
    public void LayerTable_ListsTheLowerLayers()
    {
        foreach (var folder in new[] { "Rpc", "Protocol", "Workspace", "Store", "Transcripts", "Sessions", "Agents", "Sidecar" })
            Assert.True(s_table.Has(folder), $"ARCHITECTURE.md's layer table has no row for {folder}/");
    }

    [Fact]
    public void EveryServerFolder_IsInTheLayerTable()
    {
        var missing = Folders().Where(f => !s_table.Has(f)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"server folders without a row in ARCHITECTURE.md's layer table: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryServerType_UsesOnlyTheFoldersItsLayerMayUse()
    {
        var broken = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in ServerTypes())
        {
            var from = FolderOf(type)!;
            foreach (var to in TypeReferences.Of(type).Select(FolderOf).OfType<string>().Distinct())
                if (!s_table.Allows(from, to)) broken.Add($"{SourceFile(type)}: {from}/ → {to}/ is not in ARCHITECTURE.md's layer table");
        }
        Assert.True(broken.Count == 0, "Arrows the layer table forbids:\n" + string.Join("\n", broken));
    }

    private static IEnumerable<Type> ServerTypes() => typeof(SidecarHost).Assembly.GetTypes().Where(t => FolderOf(t) is not null);

    private static IEnumerable<string> Folders() => ServerTypes().Select(t => FolderOf(t)!).Distinct();

    /// <summary><c>Plue.Agents.Tools.ToolRunner</c> (and its lambdas and state machines) live in Agents/; types outside <c>Plue.*</c> in none.</summary>
    private static string? FolderOf(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        var parts = (type.Namespace ?? "").Split('.');
        return parts is ["Plue", var folder, ..] ? folder : null;
    }

    /// <summary>The file that declares the type, found by its declaration; else the type's name.</summary>
    private static string SourceFile(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        var name = type.Name.Split('`')[0];
        var folder = Path.Combine(RepoPaths.Root, "server", FolderOf(type)!);
        var declaration = new System.Text.RegularExpressions.Regex($@"\b(class|record|struct|interface|enum)\s+{name}\b");
        var file = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).FirstOrDefault(f => declaration.IsMatch(File.ReadAllText(f)))
            : null;
        return file is null ? type.FullName! : Path.GetRelativePath(RepoPaths.Root, file);
    }
}
