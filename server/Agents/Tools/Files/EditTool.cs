using System.Text;
using System.Text.Json;

namespace Plue.Agents.Tools.Files;

/// <summary><c>edit</c>: replaces an exact piece of a file; the piece must be there, and once unless replace_all.</summary>
public sealed class EditTool : IAgentTool, IDescribesCall
{
    private static readonly JsonElement s_schema = ToolSchema.Object(
        [
            ToolSchema.FilePath,
            new("old_string", "string", "The exact text to replace, whitespace and indentation included, without read's line numbers.", Required: true),
            new("new_string", "string", "The text to put in its place.", Required: true),
            new("replace_all", "boolean", "Replace every occurrence instead of requiring exactly one. Default false."),
        ]);

    public string Name => "edit";
    public string Description => "Replaces exact text in a file. old_string must occur exactly once (include surrounding lines to make it unique) unless replace_all is true.";
    public JsonElement InputSchema => s_schema;
    public bool AsksApproval => true;

    public string DescribeCall(JsonElement input) => $"Edit {ToolInput.OptionalText(input, "path")}";

    public async Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var path = ToolInput.RequiredText(input, "path");
        var real = WorkspacePaths.ResolveExisting(context.WorkspaceFolders, path);
        if (Directory.Exists(real)) throw new ToolException($"'{path}' is a folder, not a file.");
        var (output, message) = Apply(await File.ReadAllBytesAsync(real, cancellationToken).ConfigureAwait(false), input, WorkspacePaths.Display(context.WorkspaceFolders, real));
        await File.WriteAllBytesAsync(real, output, cancellationToken).ConfigureAwait(false);
        return new ToolResult(message);
    }

    /// <summary>The call applied to a file's bytes (<paramref name="shown"/> names it): the new bytes and what the model is told; a refusal throws.</summary>
    internal static (byte[] Output, string Message) Apply(byte[] bytes, JsonElement input, string shown)
    {
        var oldString = ToolInput.RequiredText(input, "old_string");
        var newString = ToolInput.RequiredText(input, "new_string");
        var replaceAll = ToolInput.OptionalBool(input, "replace_all");
        if (oldString.Length == 0) throw new ToolException("'old_string' is empty; to create or replace a whole file use write.");
        if (oldString == newString) throw new ToolException("'old_string' and 'new_string' are the same; nothing would change.");

        var hasBom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble);
        var text = new UTF8Encoding(false).GetString(hasBom ? bytes[3..] : bytes);

        // A model writes "\n"; a file with CRLF endings needs them in both strings to match.
        if (!text.Contains(oldString, StringComparison.Ordinal) && text.Contains("\r\n", StringComparison.Ordinal) && !oldString.Contains('\r', StringComparison.Ordinal))
        {
            oldString = oldString.Replace("\n", "\r\n", StringComparison.Ordinal);
            newString = newString.Replace("\n", "\r\n", StringComparison.Ordinal);
        }
        var count = Count(text, oldString);
        if (count == 0)
            throw new ToolException($"'old_string' was not found in {shown}. Read the file again and copy the text exactly, whitespace and indentation included.");
        if (count > 1 && !replaceAll)
            throw new ToolException($"'old_string' occurs {count} times in {shown}. Include more surrounding lines to make it unique, or set replace_all to replace them all.");

        var index = text.IndexOf(oldString, StringComparison.Ordinal);
        var updated = replaceAll
            ? text.Replace(oldString, newString, StringComparison.Ordinal)
            : string.Concat(text.AsSpan(0, index), newString, text.AsSpan(index + oldString.Length));
        var output = new UTF8Encoding(hasBom).GetPreamble().Concat(new UTF8Encoding(false).GetBytes(updated)).ToArray();
        return (output, $"Edited {shown}: replaced {count} occurrence{(count == 1 ? "" : "s")}.");
    }

    private static int Count(string text, string piece)
    {
        var count = 0;
        for (var at = text.IndexOf(piece, StringComparison.Ordinal); at >= 0; at = text.IndexOf(piece, at + piece.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
