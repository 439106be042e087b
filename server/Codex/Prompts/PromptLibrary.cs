using System.IO.Enumeration;
using Plue.Codex.Content;
using Plue.Codex.References;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Prompts;

/// <summary>
/// System prompts as .md files: workspace over home over shipped, by name. A prompt is
/// read only from inside its root, whatever links lie on the way, and only as a regular file of at most 1 MiB
/// (<see cref="ContentFile"/>); the list leaves out what cannot be read, getting it says why.
/// </summary>
public sealed class PromptLibrary(ContentRoots roots)
{
    private const int MaxPromptBytes = 1024 * 1024;

    public IReadOnlyList<PromptInfo> List()
    {
        var byName = new SortedDictionary<string, PromptInfo>(StringComparer.Ordinal);
        foreach (var root in roots.For(CodexReference.PromptsCollection))
        {
            if (!Directory.Exists(root.Directory)) continue;
            foreach (var path in MarkdownFiles(root.Directory))
            {
                var name = Path.GetRelativePath(root.Directory, path).Replace(Path.DirectorySeparatorChar, '/');
                if (name.Equals("README.md", StringComparison.OrdinalIgnoreCase)) continue;
                if (!CodexReference.TryParse(CodexReference.Scheme + "prompts/" + name, out var reference, out _)) continue;
                if (ConfinedPath.Resolve(root.Directory, name) is not { } real) continue;
                try
                {
                    byName[name] = Describe(reference, root.Source, real, ContentFile.Read(root.Directory, name, MaxPromptBytes));
                }
                catch (ContentFileException)
                {
                    // Unreadable (a device, a pipe, too large): left out here; prompts/get says why.
                }
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
            string content, real;
            try
            {
                content = ContentFile.Read(root.Directory, reference.Name, MaxPromptBytes, out real);
            }
            catch (ContentFileException e)
            {
                throw RpcException.InvalidParams($"{reference} is refused: its file in {root.Source} was not read: {e.Message}");
            }
            return new Prompt { Info = Describe(reference, root.Source, real, content), Content = content };
        }
        throw PlueErrors.NotFound($"{reference} does not exist (looked in {string.Join(", ", roots.For(CodexReference.PromptsCollection).Select(r => r.Source))})");
    }

    /// <summary>
    /// Every .md file under a folder, walking real subfolders only: a linked folder (to /, or to itself) would walk
    /// the whole disk or loop, and an unreadable one must not hide the rest.
    /// </summary>
    private static FileSystemEnumerable<string> MarkdownFiles(string folder) =>
        new(folder, (ref FileSystemEntry entry) => entry.ToFullPath(),
            new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && entry.FileName.EndsWith(".md", StringComparison.Ordinal),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };

    private static PromptInfo Describe(CodexReference reference, string source, string path, string content)
    {
        var title = content.Split('\n', 21).Take(20).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim();
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
