using System.Text.Json;
using System.Text.RegularExpressions;

namespace Plue.Agents.Mcp;

/// <summary>
/// Why an MCP server could not be used, in the user's words, never the SDK's or the JSON library's (which name their
/// own types): an answer that lacks what MCP requires, or has a value of the wrong kind, says which request's answer and
/// what is wrong with it, where it is, and what to do next.
/// </summary>
internal static partial class McpErrorWords
{
    private const string Next = "check that its command or URL is an MCP server, and update it if it speaks an older or newer MCP than Plue";

    public static string Of(Exception e)
    {
        var json = Find<JsonException>(e);
        var message = json?.Message ?? e.Message;
        var at = json?.LineNumber is { } line ? $" (line {line + 1}, column {(json.BytePositionInLine ?? 0) + 1})" : "";
        if (MissingRequired().Match(message) is { Success: true } missing)
            return $"its answer to '{Request(missing.Groups["type"].Value)}' lacks {Names(missing.Groups["names"].Value)}, which MCP requires{at}: {Next}";
        if (ConvertedTo().Match(message) is { Success: true } converted)
            return $"its answer to '{Request(converted.Groups["type"].Value)}' has a value of the wrong kind{Member(json?.Path)}{at}: {Next}";
        if (json is not null)
            return $"its answer is not JSON{at}: the program may write something else (a log line) on its standard output; {Next}";
        return e.Message;
    }

    /// <summary>The request an SDK type answers: InitializeResult → initialize, ListToolsResult → list tools.</summary>
    private static string Request(string type)
    {
        var name = type[(type.LastIndexOf('.') + 1)..];
        if (name.EndsWith("Result", StringComparison.Ordinal)) name = name[..^"Result".Length];
        return CamelBreak().Replace(name, " $1").Trim().ToLowerInvariant();
    }

    private static string Names(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.Trim('\'', '.', ' ')).Where(n => n.Length > 0).ToList();
        return names.Count <= 1 ? string.Concat(names) : string.Join(", ", names[..^1]) + " and " + names[^1];
    }

    private static string Member(string? path) => path is null or "$" ? "" : $" at {path.TrimStart('$').TrimStart('.')}";

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }

    [GeneratedRegex(@"type '(?<type>[^']+)' was missing required properties,? including: (?<names>.+?)(?:\. Path:.*|\.?)$", RegexOptions.Singleline)]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\. Path:")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"(?<=[a-z])([A-Z])")]
    private static partial Regex CamelBreak();
}
