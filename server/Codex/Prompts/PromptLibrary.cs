using Plue.Codex.Content;
using Plue.Codex.References;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Prompts;

/// <summary>
/// System prompts as .md files: workspace over home over shipped, by name. A prompt is
/// read only from inside its root, whatever links lie on the way.
/// </summary>
public sealed class PromptLibrary(ContentRoots roots)
{
    private const long MaxPromptBytes = 1024 * 1024;

    public IReadOnlyList<PromptInfo> List()
    {
        var byName = new SortedDictionary<string, PromptInfo>(StringComparer.Ordinal);
        foreach (var root in roots.For(CodexReference.PromptsCollection))
        {
            if (!Directory.Exists(root.Directory)) continue;
            foreach (var path in Directory.EnumerateFiles(root.Directory, "*.md", SearchOption.AllDirectories))
            {
                var name = Path.GetRelativePath(root.Directory, path).Replace(Path.DirectorySeparatorChar, '/');
                if (name.Equals("README.md", StringComparison.OrdinalIgnoreCase)) continue;
                if (!CodexReference.TryParse(CodexReference.Scheme + "prompts/" + name, out var reference, out _)) continue;
                if (ConfinedPath.Resolve(root.Directory, name) is not { } real) continue;
                byName[name] = Describe(reference, root.Source, real);
            }
        }
        return [.. byName.Values];
    }

    public Prompt Get(string referenceText)
    {
        if (!CodexReference.TryParse(referenceText, out var reference, out var error)) throw RpcException.InvalidParams(error);
        if (!reference.IsPrompt) throw RpcException.InvalidParams($"{reference} names a record, not a prompt");
        foreach (var root in roots.For(CodexReference.PromptsCollection).Reverse())
        {
            var candidate = Path.Combine(root.Directory, reference.Name);
            if (!File.Exists(candidate)) continue;
            var real = ConfinedPath.Resolve(root.Directory, reference.Name)
                ?? throw RpcException.InvalidParams($"{reference} is refused: its file in {root.Source} leads outside {root.Directory}");
            if (new FileInfo(real).Length > MaxPromptBytes) throw RpcException.InvalidParams($"{reference} is larger than 1 MiB");
            var info = Describe(reference, root.Source, real);
            return new Prompt { Info = info, Content = File.ReadAllText(real) };
        }
        throw PlueErrors.NotFound($"{reference} does not exist (looked in {string.Join(", ", roots.For(CodexReference.PromptsCollection).Select(r => r.Source))})");
    }

    private static PromptInfo Describe(CodexReference reference, string source, string path)
    {
        var title = File.ReadLines(path).Take(20).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim();
        return new PromptInfo
        {
            Ref = reference.ToString(),
            Name = reference.Name,
            Title = title ?? Path.GetFileNameWithoutExtension(reference.Name),
            Source = source,
            Path = path,
        };
    }
}
