using System.Text;
using System.Text.Json;

namespace Plue.Agents.Tools.Files;

/// <summary><c>read</c>: a text file's lines, numbered, from an offset; capped in lines and bytes, and says when it was cut.</summary>
public sealed class ReadTool : IAgentTool
{
    public const int DefaultLimit = 2000;
    public const int MaxLineChars = 2000;
    public const int MaxOutputChars = 100_000;

    private static readonly JsonElement s_schema = ToolSchema.Object(
        [
            ToolSchema.FilePath,
            new("offset", "integer", "The first line to read, counting from 1. Default 1."),
            new("limit", "integer", "How many lines to read. Default 2000."),
        ]);

    public string Name => "read";
    public string Description => "Reads a text file of the workspace. Lines come numbered (number, tab, text); long files are cut, and the output says how to read on with offset and limit.";
    public JsonElement InputSchema => s_schema;
    public bool AsksApproval => false;

    public async Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var (path, offset, limit) = Arguments(input);
        var real = WorkspacePaths.ResolveExisting(context.WorkspaceFolders, path);
        if (Directory.Exists(real)) throw new ToolException(IsFolder(path));
        await using var stream = File.OpenRead(real);
        return await LinesAsync(stream, path, offset, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The call's path, offset and limit, checked.</summary>
    internal static (string Path, int Offset, int Limit) Arguments(JsonElement input)
    {
        var path = ToolInput.RequiredText(input, "path");
        var offset = ToolInput.OptionalInt(input, "offset") ?? 1;
        var limit = ToolInput.OptionalInt(input, "limit") ?? DefaultLimit;
        if (offset < 1) throw new ToolException("'offset' counts from 1.");
        if (limit < 1) throw new ToolException("'limit' must be at least 1.");
        return (path, offset, limit);
    }

    internal static string IsFolder(string path) => $"'{path}' is a folder; use search to list or find files in it.";

    /// <summary>What the model is shown of a file's content (a seekable stream): its lines, numbered, or that it is binary.</summary>
    internal static async Task<ToolResult> LinesAsync(Stream content, string path, int offset, int limit, CancellationToken cancellationToken)
    {
        if (await LooksBinaryAsync(content, cancellationToken).ConfigureAwait(false))
            return new ToolResult($"'{path}' is a binary file ({content.Length} bytes); it is not shown.");
        content.Position = 0;
        var output = new StringBuilder();
        var number = 0;
        var shown = 0;
        string? cut = null;
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (number < offset) continue;
            if (shown == limit || output.Length >= MaxOutputChars)
            {
                cut ??= output.Length >= MaxOutputChars ? $"the output reached {MaxOutputChars} characters" : $"the limit of {limit} lines was reached";
                continue;
            }
            var text = line.Length > MaxLineChars ? line[..MaxLineChars] + " […line cut]" : line;
            output.Append(number).Append('\t').Append(text).Append('\n');
            shown++;
        }
        if (number == 0) return new ToolResult($"'{path}' is empty.");
        if (offset > number) throw new ToolException($"'{path}' has {number} lines; offset {offset} is past the end.");
        if (cut is not null)
            output.Append($"[Truncated: {cut}. Showed lines {offset}-{offset + shown - 1} of {number}; read on with offset {offset + shown}.]\n");
        return new ToolResult(output.ToString());
    }

    /// <summary>A NUL byte in the first 8 KB: text files do not have one.</summary>
    private static async Task<bool> LooksBinaryAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return buffer.AsSpan(0, read).Contains((byte)0);
    }
}
