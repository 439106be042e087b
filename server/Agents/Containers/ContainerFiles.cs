using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Files;
using Plue.Engines;

namespace Plue.Agents.Containers;

/// <summary>
/// The file tools of a task on an engine on another machine: its files are the container's copy (nothing of it is on
/// this machine until the run ends), so <c>read</c>, <c>write</c>, <c>edit</c> and <c>search</c> act there, at the same
/// paths: a file is read and written through the engine's archive calls (written as the container's user, a file
/// edited keeping its mode), folders are made and files searched by <c>exec</c> as that user (<c>find</c> and
/// <c>grep -E</c>: a POSIX extended expression, a glob on the file's name). Paths stay inside the task's folder.
/// </summary>
public static class ContainerFiles
{
    /// <summary>Whether the tool called <paramref name="name"/> acts on the container's copy for a task on another machine.</summary>
    public static bool Handles(string name) => name is "read" or "write" or "edit" or "search";

    public static Task<ToolResult> RunAsync(TaskContainer container, string name, JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var folder = context.WorkspaceFolders.FirstOrDefault() ?? throw new ToolException(WorkspacePaths.NoWorkspace);
        return name switch
        {
            "read" => ReadAsync(container, folder, input, cancellationToken),
            "write" => WriteAsync(container, folder, input, cancellationToken),
            "edit" => EditAsync(container, folder, input, cancellationToken),
            _ => SearchAsync(container, folder, input, cancellationToken),
        };
    }

    private static async Task<ToolResult> ReadAsync(TaskContainer container, string folder, JsonElement input, CancellationToken cancellationToken)
    {
        var (path, offset, limit) = ReadTool.Arguments(input);
        var file = await FetchAsync(container, folder, path, cancellationToken).ConfigureAwait(false);
        if (file.Folder) throw new ToolException(ReadTool.IsFolder(path));
        using var content = new MemoryStream(file.Bytes);
        return await ReadTool.LinesAsync(content, path, offset, limit, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ToolResult> WriteAsync(TaskContainer container, string folder, JsonElement input, CancellationToken cancellationToken)
    {
        var path = ToolInput.RequiredText(input, "path");
        var content = ToolInput.RequiredText(input, "content");
        var real = Resolve(folder, path);
        // Its folders made as the container's user; exit 2: it is there already, 3: it is a folder.
        var (exit, _, error) = await container.ScriptAsync("mkdir -p \"$(dirname \"$1\")\" || exit 1; [ -d \"$1\" ] && exit 3; [ -e \"$1\" ] && exit 2; exit 0", [real], cancellationToken)
            .ConfigureAwait(false);
        if (exit == 3) throw new ToolException($"'{path}' is a folder, not a file.");
        if (exit is not (0 or 2)) throw new ToolException($"'{path}' cannot be written in the task's container: {error.Trim()}");
        var bytes = new UTF8Encoding(false).GetBytes(content);
        await PutAsync(container, real, bytes, ContainerBundle.ReadWrite, cancellationToken).ConfigureAwait(false);
        return new ToolResult($"{(exit == 2 ? "Replaced" : "Created")} {Display(folder, real)} ({bytes.Length} bytes).");
    }

    private static async Task<ToolResult> EditAsync(TaskContainer container, string folder, JsonElement input, CancellationToken cancellationToken)
    {
        var path = ToolInput.RequiredText(input, "path");
        var file = await FetchAsync(container, folder, path, cancellationToken).ConfigureAwait(false);
        if (file.Folder) throw new ToolException($"'{path}' is a folder, not a file.");
        var (output, message) = EditTool.Apply(file.Bytes, input, Display(folder, file.Path));
        await PutAsync(container, file.Path, output, file.Mode, cancellationToken).ConfigureAwait(false);
        return new ToolResult(message);
    }

    private static async Task<ToolResult> SearchAsync(TaskContainer container, string folder, JsonElement input, CancellationToken cancellationToken)
    {
        var pattern = ToolInput.RequiredText(input, "pattern");
        if (pattern.Length == 0) throw new ToolException("'pattern' is empty.");
        var root = ToolInput.OptionalText(input, "path") is { Length: > 0 } path ? Resolve(folder, path) : folder;
        var glob = ToolInput.OptionalText(input, "glob") is { Length: > 0 } g ? g[(g.LastIndexOf('/') + 1)..] : "*";
        var flags = ToolInput.OptionalBool(input, "ignore_case") ? "-nHiE" : "-nHE";
        const string search = "[ -e \"$1\" ] || exit 3; find \"$1\" -type f -name \"$2\" ! -path '*/.git/*' -exec grep \"$3\" -e \"$4\" -- {} + 2>/dev/null | head -n \"$5\"";
        var (exit, output, _) = await container.ScriptAsync(search, [root, glob, flags, pattern, $"{SearchTool.MaxMatches + 1}"], cancellationToken).ConfigureAwait(false);
        if (exit == 3) throw new ToolException($"'{ToolInput.OptionalText(input, "path")}' does not exist in the task's folder.");
        var text = new StringBuilder();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith(folder, StringComparison.Ordinal)).ToList();
        foreach (var line in lines.Take(SearchTool.MaxMatches)) text.Append(Display(folder, line)).Append('\n');
        if (lines.Count == 0) text.Append("No matches.\n");
        if (lines.Count > SearchTool.MaxMatches) text.Append($"[Truncated: more than {SearchTool.MaxMatches} matches; narrow the pattern, path or glob.]\n");
        return new ToolResult(text.ToString());
    }

    /// <summary>A path the model gave, as a full path in the container: inside the task's folder, or refused.</summary>
    private static string Resolve(string folder, string path)
    {
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(folder, path));
        if (full != folder && !full.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal))
            throw new ToolException($"'{path}' is outside the task's folder: the file tools work only inside it.");
        return full;
    }

    private static string Display(string folder, string full) =>
        full.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal) ? full[(folder.TrimEnd('/').Length + 1)..] : full;

    private sealed record Fetched(string Path, bool Folder, byte[] Bytes, UnixFileMode Mode);

    /// <summary>A file of the container through the archive call; a symbolic link is followed (inside the folder, up to 8 times).</summary>
    private static async Task<Fetched> FetchAsync(TaskContainer container, string folder, string path, CancellationToken cancellationToken)
    {
        var real = Resolve(folder, path);
        for (var hops = 0; hops < 8; hops++)
        {
            Fetched? got = null;
            string? link = null;
            var found = await container.Client.GetArchiveAsync(container.Id, real, async tar =>
            {
                var reader = new TarReader(tar);
                await using (reader.ConfigureAwait(false))
                {
                    if (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is not { } entry) return;
                    if (entry.EntryType == TarEntryType.SymbolicLink) link = entry.LinkName;
                    else if (entry.EntryType == TarEntryType.Directory) got = new Fetched(real, true, [], entry.Mode);
                    else
                    {
                        using var bytes = new MemoryStream();
                        if (entry.DataStream is { } data) await data.CopyToAsync(bytes, cancellationToken).ConfigureAwait(false);
                        got = new Fetched(real, false, bytes.ToArray(), entry.Mode);
                    }
                }
            }, cancellationToken).ConfigureAwait(false);
            if (!found) throw new ToolException($"'{path}' does not exist in the task's folder.");
            if (got is not null) return got;
            if (link is null) break;
            real = Resolve(folder, Path.IsPathRooted(link) ? link : Path.Combine(Path.GetDirectoryName(real)!, link));
        }
        throw new ToolException($"'{path}' cannot be read in the task's container.");
    }

    /// <summary>Writes a file of the container through the archive call, owned by the container's user.</summary>
    private static async Task PutAsync(TaskContainer container, string real, byte[] bytes, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var (uid, gid) = ContainerBundle.Ids(container.User);
        using var tar = new MemoryStream();
        var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            var entry = ContainerBundle.Entry(TarEntryType.RegularFile, Path.GetFileName(real), uid, gid, mode);
            entry.DataStream = new MemoryStream(bytes);
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        tar.Position = 0;
        try
        {
            await container.Client.PutArchiveAsync(container.Id, Path.GetDirectoryName(real)!, tar, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException e)
        {
            throw new ToolException($"'{Path.GetFileName(real)}' could not be written in the task's container: {e.Message}");
        }
    }
}
