using System.Text.Json;
using System.Text.RegularExpressions;

namespace Plue.Catalog;

/// <summary>
/// A file's JSON error in the user's words, never the JSON library's (which name its own types and its depth
/// counting): a file cut off "ends early", a value of the wrong kind names the member and the kind it must be.
/// </summary>
internal static partial class JsonErrorWords
{
    /// <summary>"line 3, column 40" (1-based), or null when the reader did not say where.</summary>
    public static string? Where(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : null;

    public static string Words(JsonException e)
    {
        var message = e.Message;
        if (message.Contains("end of data", StringComparison.Ordinal) || message.Contains("depth to be zero", StringComparison.Ordinal)
            || message.Contains("ended prematurely", StringComparison.Ordinal))
            return "the file ends early: an object, a list or a quoted text is not closed";
        if (ConvertedTo().Match(message) is { Success: true } converted)
            return Kind(converted.Groups[1].Value, e.Path) is { } kind ? $"{Member(e.Path)} must be {kind}" : $"{Member(e.Path)} has a value of the wrong kind";
        if (MissingRequired().Match(message) is { Success: true } missing)
            return $"{Member(e.Path)} lacks {missing.Groups[1].Value.TrimEnd('.')}";
        return "this is not valid JSON here: look for a missing comma or quote, or a character out of place";
    }

    private static string Member(string? path) => path is null or "$" ? "the file" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>The kind a value must be; null where the reader named an object type it was inside (not the member's own).</summary>
    private static string? Kind(string type, string? path) => type switch
    {
        _ when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("String", StringComparison.Ordinal) && !type.Contains('[') => "a text in quotes",
        _ when type.Contains("Dictionary", StringComparison.Ordinal) => "an object",
        _ when type.Contains("List", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) => "a list",
        _ when path is not null && !path.EndsWith(']') && path != "$" => null,
        _ => "an object",
    };

    [GeneratedRegex(@"could not be converted to (\S+?)\. Path:")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"missing required properties,? including: (.+?)(\. Path:|$)")]
    private static partial Regex MissingRequired();
}
