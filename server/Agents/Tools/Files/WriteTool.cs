using System.Text;
using System.Text.Json;

namespace Plue.Agents.Tools.Files;

/// <summary><c>write</c>: creates or replaces a file with the given content, creating its folders inside the workspace.</summary>
public sealed class WriteTool : IAgentTool, IDescribesCall
{
    private static readonly JsonElement s_schema = ToolSchema.Object(
        [
            ToolSchema.FilePath,
            new("content", "string", "The whole new content of the file.", Required: true),
        ]);

    public string Name => "write";
    public string Description => "Creates a file, or replaces all of an existing file's content. Missing folders are created. To change part of a file, use edit.";
    public JsonElement InputSchema => s_schema;
    public bool AsksApproval => true;

    public string DescribeCall(JsonElement input) => $"Write {ToolInput.OptionalText(input, "path")}";

    public async Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var path = ToolInput.RequiredText(input, "path");
        var content = ToolInput.RequiredText(input, "content");
        var real = WorkspacePaths.ResolveForWrite(context.WorkspaceFolders, path);
        if (Directory.Exists(real)) throw new ToolException($"'{path}' is a folder, not a file.");
        var existed = File.Exists(real);
        Directory.CreateDirectory(Path.GetDirectoryName(real)!);
        var bytes = new UTF8Encoding(false).GetBytes(content);
        await File.WriteAllBytesAsync(real, bytes, cancellationToken).ConfigureAwait(false);
        return new ToolResult($"{(existed ? "Replaced" : "Created")} {WorkspacePaths.Display(context.WorkspaceFolders, real)} ({bytes.Length} bytes).");
    }
}
