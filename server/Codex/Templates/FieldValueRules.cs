using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plue.Codex.References;

namespace Plue.Codex.Templates;

/// <summary>
/// Whether a value fits a field on its own: type, bounds, options, formats. Whether a
/// referenced record exists is the record validator's business, not this one's.
/// </summary>
public static class FieldValueRules
{
    private static IEnumerable<string> TextProblems(FieldSpec field, JsonNode? value, JsonValueKind kind, string label)
    {
        if (kind != JsonValueKind.String)
        {
            yield return $"{label} must be a string";
            yield break;
        }
        var text = value!.GetValue<string>();
        if (field.MaxLength is { } max && text.Length > max) yield return $"{label} is longer than {max} characters";
        if (field.Pattern is { } pattern && text.Length > 0 && !Matches(pattern, text)) yield return $"{label} does not match the pattern {pattern}";
    }

    private static string? FileReferenceProblem(JsonNode? value, JsonValueKind kind, string label)
    {
        if (kind != JsonValueKind.String || value!.GetValue<string>().Length == 0) return $"{label} must be a codex://prompts/<name>.md reference or a workspace path";
        return value.GetValue<string>().StartsWith("codex://", StringComparison.Ordinal) && !CodexReference.TryParse(value.GetValue<string>(), out _, out var why) ? $"{label}: {why}" : null;
    }

    public static IEnumerable<string> Check(FieldSpec field, JsonNode? value, string label)
    {
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        switch (field.Type)
        {
            case FieldType.Text or FieldType.Textarea:
                foreach (var problem in TextProblems(field, value, kind, label)) yield return problem;
                break;

            case FieldType.Number:
                if (kind != JsonValueKind.Number || !double.IsFinite(ToDouble(value!)))
                {
                    yield return $"{label} must be a number";
                    yield break;
                }
                var n = ToDouble(value!);
                if (field.Min is { } min && n < min) yield return $"{label} must be at least {min}";
                if (field.Max is { } maxN && n > maxN) yield return $"{label} must be at most {maxN}";
                if (field.Step is { } step && step > 0)
                {
                    var steps = (n - (field.Min ?? 0)) / step;
                    if (Math.Abs(steps - Math.Round(steps)) > 1e-9) yield return $"{label} must be {Steps(step, field.Min, field.Max)}";
                }
                break;

            case FieldType.Boolean:
                if (kind is not (JsonValueKind.True or JsonValueKind.False)) yield return $"{label} must be true or false";
                break;

            case FieldType.Select:
                if (kind != JsonValueKind.String || field.Options?.Any(o => o.Value == value!.GetValue<string>()) != true)
                    yield return $"{label} must be one of {string.Join(", ", field.Options?.Select(o => o.Value) ?? [])}";
                break;

            case FieldType.Url:
                if (kind != JsonValueKind.String || !IsHttpUrl(value!.GetValue<string>())) yield return $"{label} must be an absolute http or https URL";
                break;

            case FieldType.CodexReference:
                // A prompt is a codex:// reference too (codex://prompts/<name>.md), as a template may name one.
                if (kind != JsonValueKind.String || !CodexReference.TryParse(value!.GetValue<string>(), out _, out _))
                    yield return $"{label} must be a codex://<collection>/<slug> reference";
                break;

            case FieldType.Datetime:
                if (kind != JsonValueKind.String || !IsDatetime(value!.GetValue<string>()))
                    yield return $"{label} must be an ISO 8601 date and time, for example 2025-01-31T09:30:00Z";
                break;

            case FieldType.Object:
                foreach (var problem in value is JsonObject obj ? ObjectProblems(field, obj, label) : [$"{label} must be an object"])
                    yield return problem;
                break;

            case FieldType.FileReference:
                if (FileReferenceProblem(value, kind, label) is { } fileProblem) yield return fileProblem;
                break;

            case FieldType.Array:
                if (value is not JsonArray array)
                {
                    yield return $"{label} must be an array";
                    yield break;
                }
                if (field.MinItems is { } minItems && array.Count < minItems) yield return $"{label} needs at least {minItems} item(s)";
                if (field.MaxItems is { } maxItems && array.Count > maxItems) yield return $"{label} takes at most {maxItems} item(s)";
                if (field.Items is null) yield break;
                for (var i = 0; i < array.Count; i++)
                    foreach (var problem in Check(field.Items, array[i], $"{label}[{i}]"))
                        yield return problem;
                break;
        }
    }

    /// <summary>
    /// A step rule in words: "a whole number, 1 or more", "a whole number from 0 to 10", or "0, 0.5, 1 and so on (in
    /// steps of 0.5)"; the form's users read it, not the template's author.
    /// </summary>
    private static string Steps(double step, double? min, double? max)
    {
        static string N(double n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var range = (min, max) switch
        {
            ({ } lo, { } hi) => $" from {N(lo)} to {N(hi)}",
            ({ } lo, null) => $", {N(lo)} or more",
            (null, { } hi) => $", {N(hi)} or less",
            _ => "",
        };
        if (step == 1 && (min ?? 0) == Math.Floor(min ?? 0)) return $"a whole number{range}";
        var from = min ?? 0;
        return $"{N(from)}, {N(from + step)}, {N(from + 2 * step)} and so on (in steps of {N(step)}){(max is { } top ? $", up to {N(top)}" : "")}";
    }

    /// <summary>Members the object field does not list, then each listed property's own problems.</summary>
    private static IEnumerable<string> ObjectProblems(FieldSpec field, JsonObject obj, string label)
    {
        var properties = field.Properties ?? [];
        return obj.Where(m => properties.All(p => p.Name != m.Key)).Select(m => $"{label}.{m.Key} is not a property of it")
            .Concat(properties.SelectMany(p => IsEmpty(obj[p.Name])
                ? (p.Required ? [$"{label}.{p.Name} is required"] : [])
                : Check(p, obj[p.Name], $"{label}.{p.Name}")));
    }

    /// <summary>Empty means absent for "required": an empty string or array says nothing.</summary>
    public static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length == 0,
        _ => false,
    };

    /// <summary>A JSON number as a double, whatever .NET type the node was built from.</summary>
    public static double ToDouble(JsonNode number) =>
        number is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.Parse(number.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsDatetime(string text) =>
        text.Length >= 10 && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out _);

    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    private static bool Matches(string pattern, string text)
    {
        try
        {
            return Regex.IsMatch(text, $"^(?:{pattern})$", RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
