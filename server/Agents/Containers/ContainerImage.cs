using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Plue.Codex.Json5;
using Plue.Engines;

namespace Plue.Agents.Containers;

/// <summary>
/// Which image a task's container is made from: the task's own <c>image</c> (its template's, or what spawn_task or
/// the user chose), else the workspace's <c>.devcontainer/devcontainer.json</c> (comments and trailing commas
/// allowed): its <c>image</c>, or the image its <c>build.dockerfile</c> makes (<see cref="EnsureBuiltAsync"/>), else
/// <see cref="Default"/>.
/// </summary>
public static class ContainerImage
{
    /// <summary>Small, with bash and coreutils: what a task's commands expect of a Linux machine.</summary>
    public const string Default = "debian:bookworm-slim";

    /// <summary>The name of the images Plue builds from a devcontainer's Dockerfile; the tag is the build's hash.</summary>
    public const string BuiltPrefix = "plue-devcontainer/";

    /// <summary>A Dockerfile build context holds no more than this (the workspace's <c>.git</c> is never sent).</summary>
    private const long MaxContextBytes = 1L << 30;

    public static string For(string? own, string? workspaceFolder) =>
        !string.IsNullOrWhiteSpace(own) ? own.Trim() : (workspaceFolder is null ? null : DevContainer(workspaceFolder)?.Image) ?? Default;

    /// <summary>A devcontainer's choice: the image it names, or the one its Dockerfile builds (named by its hash).</summary>
    public sealed record DevContainerImage(string Image, string? Dockerfile = null, string? Context = null);

    /// <summary>The devcontainer's image; null when there is none, or it cannot be read.</summary>
    public static DevContainerImage? DevContainer(string folder)
    {
        foreach (var file in new[] { Path.Combine(folder, ".devcontainer", "devcontainer.json"), Path.Combine(folder, ".devcontainer.json") })
        {
            if (!File.Exists(file)) continue;
            try
            {
                var root = Json5Parser.Parse(File.ReadAllText(file)).Root;
                if (Text(root?["image"]) is { } image) return new DevContainerImage(image);
                return Text(root?["build"]?["dockerfile"] ?? root?["dockerFile"]) is { } dockerfile ? Built(folder, Path.GetDirectoryName(file)!, dockerfile, Text(root?["build"]?["context"])) : null;
            }
            catch (Exception e) when (e is Json5Exception or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                return null;
            }
        }
        return null;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var text) && text.Trim().Length > 0 ? text.Trim() : null;

    /// <summary>
    /// The image a devcontainer's Dockerfile makes: paths as the devcontainer writes them (relative to its own folder;
    /// the context defaults to that folder), named by a hash of the Dockerfile's text and where it and its context
    /// are, so a changed Dockerfile builds anew and an unchanged one is built once and kept.
    /// </summary>
    private static DevContainerImage? Built(string workspace, string devcontainerFolder, string dockerfile, string? context)
    {
        var file = Path.GetFullPath(Path.Combine(devcontainerFolder, dockerfile));
        var contextFolder = Path.GetFullPath(Path.Combine(devcontainerFolder, context ?? "."));
        if (!File.Exists(file) || !Directory.Exists(contextFolder)) return null;
        var inContext = Path.GetRelativePath(contextFolder, file).Replace('\\', '/');
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{inContext}\n{Path.GetRelativePath(workspace, contextFolder)}\n{File.ReadAllText(file)}"));
        var name = new string([.. Path.GetFileName(Path.TrimEndingDirectorySeparator(workspace)).ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]).Trim('-', '.', '_');
        return new DevContainerImage($"{BuiltPrefix}{(name.Length > 0 ? name : "workspace")}:{Convert.ToHexStringLower(hash)[..16]}", inContext, contextFolder);
    }

    /// <summary>
    /// Builds the devcontainer's image on the engine when <paramref name="image"/> is the one its Dockerfile makes and
    /// the engine does not have it yet: once, then kept (<paramref name="building"/> lets one build run at a time, so
    /// sub-tasks that start together wait for the first's). The context goes as a tar stream without <c>.git</c>.
    /// </summary>
    public static async Task EnsureBuiltAsync(EngineClient client, string image, string? workspaceFolder, SemaphoreSlim building, CancellationToken cancellationToken)
    {
        if (!image.StartsWith(BuiltPrefix, StringComparison.Ordinal) || workspaceFolder is null) return;
        if (DevContainer(workspaceFolder) is not { Dockerfile: { } dockerfile, Context: { } context } built || built.Image != image) return;
        await building.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await client.HasImageAsync(image, cancellationToken).ConfigureAwait(false)) return;
            var tar = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            await using (tar.ConfigureAwait(false))
            {
                await WriteContextAsync(context, tar, cancellationToken).ConfigureAwait(false);
                tar.Position = 0;
                await client.BuildImageAsync(tar, dockerfile, image, new Dictionary<string, string> { ["plue.devcontainer"] = "1" }, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            building.Release();
        }
    }

    /// <summary>The build context as a tar: every file and link under <paramref name="folder"/> but <c>.git</c>, links kept as links.</summary>
    private static async Task WriteContextAsync(string folder, Stream into, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(into, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            var pending = new Stack<string>([folder]);
            while (pending.TryPop(out var dir))
            {
                foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
                {
                    if (entry.Name == ".git" && dir == folder) continue;
                    var name = Path.GetRelativePath(folder, entry.FullName).Replace('\\', '/');
                    await writer.WriteEntryAsync(entry.FullName, entry is DirectoryInfo ? name + "/" : name, cancellationToken).ConfigureAwait(false);
                    if (entry is DirectoryInfo && entry.LinkTarget is null) pending.Push(entry.FullName);
                    if (into.Length > MaxContextBytes)
                        throw new EngineException("The devcontainer's build context is over 1 GiB: narrow its build.context, or name an image the engine has.", EngineFix.Image);
                }
            }
        }
    }
}
