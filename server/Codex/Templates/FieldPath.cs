using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Plue.Codex.Templates;

/// <summary>
/// A path into a record's fields, as hook conditions write it: a field name, then <c>[index]</c> (negative counts
/// from the end) or <c>.member</c> steps, for example <c>messages[-1].role</c>.
/// </summary>
public static partial class FieldPath
{
    public static bool IsValid(string path) => PathPattern().IsMatch(path);

    /// <summary>The field the path starts at.</summary>
    public static string Root(string path) => RootPattern().Match(path).Value;

    /// <summary>The value at the path, or null when any step is missing.</summary>
    public static JsonNode? Read(JsonObject fields, string path)
    {
        JsonNode? node = fields[Root(path)];
        foreach (Match step in StepPattern().Matches(path[Root(path).Length..]))
        {
            if (step.Groups["member"].Success) node = (node as JsonObject)?[step.Groups["member"].Value];
            else if (node is JsonArray array && int.TryParse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture, out var i))
            {
                var at = i < 0 ? array.Count + i : i;
                node = at >= 0 && at < array.Count ? array[at] : null;
            }
            else node = null;
            if (node is null) return null;
        }
        return node;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\[-?\d+\]|\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex PathPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex RootPattern();

    [GeneratedRegex(@"\[(?<index>-?\d+)\]|\.(?<member>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex StepPattern();
}
