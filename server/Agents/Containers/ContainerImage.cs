using System.Text.Json.Nodes;
using Plue.Codex.Json5;

namespace Plue.Agents.Containers;

/// <summary>
/// Which image a task's container is made from: the task's own <c>image</c> (its template's, or what spawn_task or
/// the user chose), else the workspace's <c>.devcontainer/devcontainer.json</c> <c>image</c> (comments and trailing
/// commas allowed), else <see cref="Default"/>. A devcontainer that builds from a Dockerfile instead is not built yet:
/// its folder's image falls through to the default.
/// </summary>
public static class ContainerImage
{
    /// <summary>Small, with bash, coreutils and setsid: what a task's commands expect of a Linux machine.</summary>
    public const string Default = "debian:bookworm-slim";

    public static string For(string? own, string? workspaceFolder) =>
        !string.IsNullOrWhiteSpace(own) ? own.Trim() : (workspaceFolder is null ? null : DevContainer(workspaceFolder)) ?? Default;

    /// <summary>The devcontainer's image; null when there is none, or it cannot be read.</summary>
    public static string? DevContainer(string folder)
    {
        foreach (var file in new[] { Path.Combine(folder, ".devcontainer", "devcontainer.json"), Path.Combine(folder, ".devcontainer.json") })
        {
            if (!File.Exists(file)) continue;
            try
            {
                var root = Json5Parser.Parse(File.ReadAllText(file)).Root;
                return root?["image"] is JsonValue v && v.TryGetValue<string>(out var image) && image.Trim().Length > 0 ? image.Trim() : null;
            }
            catch (Exception e) when (e is Json5Exception or IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
        return null;
    }
}
