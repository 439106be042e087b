using System.Text.Json;
using Plue.Codex.Content;
using Plue.Protocol;

namespace Plue.Customizations;

/// <summary>
/// An MCP server a file declares (<c>.vscode/mcp.json</c>'s <c>servers</c>, <c>.mcp.json</c>'s and
/// <c>.cursor/mcp.json</c>'s <c>mcpServers</c>), as written; or one of those files' servers that is not used, with why.
/// </summary>
/// <param name="File">The file as users read it: <c>.vscode/mcp.json</c>, or <c>~/.cursor/mcp.json</c> for the user's.</param>
/// <param name="Root">The workspace folder or home the file is under (<c>${workspaceFolder}</c> of a workspace's file).</param>
/// <param name="Definition">The server's object as written; null for one not used.</param>
/// <param name="Inputs">The file's <c>inputs</c> (VS Code's): what <c>${input:id}</c> asks for.</param>
/// <param name="Reason">Why it is not used; null for a used one.</param>
public sealed record FileMcpServer(string Name, string Source, string File, string Layout, CustomizationScope Scope, string? Root, JsonElement? Definition,
    IReadOnlyList<McpFileInput> Inputs, string? Reason)
{
    private static readonly JsonDocumentOptions s_json = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>The MCP server items among <paramref name="items"/>: the used ones read from their files, the others with their reason.</summary>
    public static IReadOnlyList<FileMcpServer> Read(IReadOnlyList<CustomizationItem> items, IReadOnlyList<string> folders, string? home)
    {
        var found = new List<FileMcpServer>();
        foreach (var file in items.Where(i => i.Kind == CustomizationKind.McpServer).GroupBy(i => i.Source))
        {
            var first = file.First();
            var root = CustomCommands.RootOf(first, folders, home);
            var label = root is null ? first.Source : (first.Scope == CustomizationScope.User ? "~/" : "") + Path.GetRelativePath(root, first.Source).Replace(Path.DirectorySeparatorChar, '/');
            JsonElement document = default;
            var read = root is not null && file.Any(i => i.Status == CustomizationStatus.Used) && TryRead(root, first.Source, out document);
            var key = CustomizationLayouts.All.First(l => l.Id == first.Layout).JsonKey!;
            var inputs = read ? DeclaredInputs(document) : [];
            foreach (var item in file)
            {
                var definition = read && item.Status == CustomizationStatus.Used && document.TryGetProperty(key, out var servers) && servers.TryGetProperty(item.Name, out var server) ? server : (JsonElement?)null;
                found.Add(new FileMcpServer(item.Name, item.Source, label, item.Layout, item.Scope, root, definition, inputs,
                    definition is null ? item.Reason ?? "changed since it was listed: it is read again" : null));
            }
        }
        return found;
    }

    private static bool TryRead(string root, string source, out JsonElement document)
    {
        document = default;
        try
        {
            using var parsed = JsonDocument.Parse(ContentFile.Read(root, Path.GetRelativePath(root, source), CustomizationLayout.MaxJsonBytes), s_json);
            document = parsed.RootElement.Clone();
            return document.ValueKind == JsonValueKind.Object;
        }
        catch (Exception e) when (e is ContentFileException or JsonException)
        {
            // Changed since it was listed: the watcher lists it again with its reason.
            return false;
        }
    }

    private static List<McpFileInput> DeclaredInputs(JsonElement document)
    {
        if (!document.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array) return [];
        return [.. inputs.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object && Text(i, "id") is not null)
            .Select(i => new McpFileInput(Text(i, "id")!, Text(i, "description"), i.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.True)
            {
                Options = Text(i, "type") == "pickString" ? Options(i) : null,
                Default = Text(i, "default"),
            })];
    }

    /// <summary>A <c>pickString</c> input's choices: each a string, or an object whose <c>value</c> is the one kept.</summary>
    private static List<string> Options(JsonElement input) =>
        input.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Array
            ? [.. options.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.String ? o.GetString() : Text(o, "value")).OfType<string>().Where(o => o.Length > 0).Distinct(StringComparer.Ordinal)]
            : [];

    /// <summary>A string member of a JSON object; null when it has none.</summary>
    public static string? Text(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var member) && member.ValueKind == JsonValueKind.String ? member.GetString() : null;
}

/// <summary>One of VS Code's <c>inputs</c>: asked once, kept in the vault.</summary>
public sealed record McpFileInput(string Id, string? Description, bool Password)
{
    /// <summary>A <c>pickString</c> input's choices (the answer is one of them); null for text typed in a box.</summary>
    public IReadOnlyList<string>? Options { get; init; }
    /// <summary>What the box holds, or the choice picked, before the user changes it.</summary>
    public string? Default { get; init; }
}
