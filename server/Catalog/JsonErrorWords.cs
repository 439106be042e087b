using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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
        if (EndsEarly(e))
            return $"the file ends early{(e.LineNumber is { } line ? $" at line {line + 1}" : "")}: an object, a list or a quoted text is not closed; " +
                "close it, or copy or export the whole file again";
        if (ConvertedTo().Match(message) is { Success: true } converted)
            return (Kind(converted.Groups[1].Value, e.Path) ?? MemberKind(e.Path)) is { } kind ? $"{Member(e.Path)} must be {kind}" : $"{Member(e.Path)} has a value of the wrong kind";
        if (MissingRequired().Match(message) is { Success: true } missing)
            return $"{Member(e.Path)} lacks {missing.Groups[1].Value.TrimEnd('.')}";
        return "this is not valid JSON here: look for a missing comma or quote, or a character out of place";
    }

    /// <summary>Whether the text stops before its JSON is whole (a file cut off): its words say where, and no other place need.</summary>
    public static bool EndsEarly(JsonException e) =>
        e.Message.Contains("end of data", StringComparison.Ordinal) || e.Message.Contains("depth to be zero", StringComparison.Ordinal)
        || e.Message.Contains("ended prematurely", StringComparison.Ordinal);

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

    /// <summary>The file formats' roots, where a member's own kind is looked up when the reader named only the object it was in.</summary>
    private static readonly JsonTypeInfo[] s_roots = [CatalogJsonContext.Default.CatalogProvider, Import.CatwalkJsonContext.Default.CatwalkProvider];

    /// <summary>The kind of the member at <paramref name="path"/> ($.models[0].contextWindow), from the first format that has it.</summary>
    private static string? MemberKind(string? path)
    {
        if (path is null) return null;
        try
        {
            foreach (var root in s_roots)
                if (Walk(root, path) is { } type) return KindOf(type);
        }
        catch (NotSupportedException)
        {
            // A type the formats' contexts do not hold: no kind to name.
        }
        return null;
    }

    private static Type? Walk(JsonTypeInfo root, string path)
    {
        Type? type = root.Type;
        foreach (Match step in Steps().Matches(path))
        {
            var info = root.Options.GetTypeInfo(type!);
            type = step.Groups["name"].Success ? info.Properties.FirstOrDefault(p => p.Name == step.Groups["name"].Value)?.PropertyType : info.ElementType;
            if (type is null) return null;
        }
        return type == root.Type ? null : type;
    }

    private static string KindOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return "a whole number";
        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(string)) return "a text in quotes";
        if (typeof(System.Collections.IDictionary).IsAssignableFrom(type)) return "an object";
        return typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? "a list" : "an object";
    }

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[\d+\]")]
    private static partial Regex Steps();

    [GeneratedRegex(@"could not be converted to (\S+?)\. Path:")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"missing required properties,? including: (.+?)(\. Path:|$)")]
    private static partial Regex MissingRequired();
}
