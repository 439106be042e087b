namespace Plue.Customizations;

/// <summary>
/// The YAML front matter the peers' Markdown files open with (<c>---</c>, <c>key: value</c> lines, <c>---</c>), read
/// tolerantly: a UTF-8 byte order mark, CRLF line ends and trailing spaces are accepted, as are quoted values, inline
/// lists (<c>[a, b]</c>), block lists (<c>- a</c>), folded or literal text (<c>&gt;</c>, <c>|</c>) and a nested block
/// (kept as its text). What it cannot read is a <see cref="FrontMatterException"/> naming the line.
/// </summary>
public sealed class FrontMatter
{
    private FrontMatter(IReadOnlyList<FrontMatterField> fields, string body)
    {
        Fields = fields;
        Body = body;
    }

    /// <summary>The fields in the order written; none when the file has no front matter.</summary>
    public IReadOnlyList<FrontMatterField> Fields { get; }

    /// <summary>The text after the front matter (all of it when there is none), line ends as <c>\n</c>.</summary>
    public string Body { get; }

    public FrontMatterField? Find(string key) => Fields.FirstOrDefault(f => f.Key == key);

    /// <summary>A field's text: a scalar as written, a list joined with ", "; null when absent.</summary>
    public string? Text(string key) => Find(key)?.Text;

    /// <summary>Reads <paramref name="text"/>. Throws <see cref="FrontMatterException"/> with the 1-based line of what is wrong.</summary>
    public static FrontMatter Parse(string text)
    {
        if (text.StartsWith('\uFEFF')) text = text[1..];
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        if (lines.Length == 0 || lines[0].TrimEnd() != "---") return new FrontMatter([], string.Join('\n', lines));
        var end = Array.FindIndex(lines, 1, l => l.TrimEnd() is "---" or "...");
        if (end < 0) throw new FrontMatterException(1, "the front matter opened with --- is never closed: end it with a line of ---");
        var fields = new List<FrontMatterField>();
        var i = 1;
        while (i < end)
        {
            var line = lines[i].TrimEnd();
            var lineNumber = i + 1;
            i++;
            if (line.Length == 0 || line.TrimStart().StartsWith('#')) continue;
            if (char.IsWhiteSpace(line[0]))
                throw new FrontMatterException(lineNumber, "an indented line belongs to no field: start each field at the line's beginning as key: value");
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || (colon + 1 < line.Length && line[colon + 1] != ' '))
                throw new FrontMatterException(lineNumber, $"'{Cut(line)}' is not a field: write key: value");
            var key = line[..colon].Trim();
            if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '[' or '{'))
                throw new FrontMatterException(lineNumber, $"'{Cut(key)}' is not a field name: use letters, digits, - and _");
            if (fields.Any(f => f.Key == key)) throw new FrontMatterException(lineNumber, $"'{key}' is given twice: keep one");
            var raw = line[(colon + 1)..].Trim();
            // The indented lines that follow belong to this field (a block list, folded text, a nested map).
            var block = new List<string>();
            while (i < end && (lines[i].TrimEnd().Length == 0 || char.IsWhiteSpace(lines[i][0])))
            {
                block.Add(lines[i].TrimEnd());
                i++;
            }
            while (block.Count > 0 && block[^1].Length == 0) block.RemoveAt(block.Count - 1);
            fields.Add(Field(key, raw, block, lineNumber));
        }
        return new FrontMatter(fields, string.Join('\n', lines[(end + 1)..]));
    }

    private static FrontMatterField Field(string key, string raw, List<string> block, int line)
    {
        if (block.Count > 0 && raw is not ("" or "|" or ">" or "|-" or ">-" or "|+" or ">+"))
            throw new FrontMatterException(line + 1, $"an indented line under '{key}', which already has a value on its line: indent nothing, or put the value below");
        if (raw.Length > 0 && raw[0] is '|' or '>')
        {
            var lines = Dedent(block);
            return new FrontMatterField(key, line, raw[0] == '|' ? string.Join('\n', lines) : string.Join(' ', lines.Where(l => l.Length > 0)), null);
        }
        if (block.Count > 0)
        {
            var items = block.Where(l => l.Length > 0).ToList();
            if (items.All(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal) || l.Trim() == "-"))
                return new FrontMatterField(key, line, null, [.. items.Select(l => Unquote(l.TrimStart()[1..].Trim(), line))]);
            // A nested map (a skill's metadata, a hook's settings): kept as written.
            return new FrontMatterField(key, line, string.Join('\n', Dedent(block)), null);
        }
        if (raw.StartsWith('['))
        {
            if (!raw.EndsWith(']')) throw new FrontMatterException(line, $"the list of '{key}' opens with [ and does not close: end it with ]");
            var inner = raw[1..^1].Trim();
            return new FrontMatterField(key, line, null, inner.Length == 0 ? [] : [.. SplitList(inner).Select(s => Unquote(s.Trim(), line))]);
        }
        return new FrontMatterField(key, line, Unquote(StripComment(raw), line), null);
    }

    private static IEnumerable<string> SplitList(string inner)
    {
        var start = 0;
        char? quote = null;
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (quote is { } q) { if (c == q) quote = null; }
            else if (c is '"' or '\'') quote = c;
            else if (c == ',')
            {
                yield return inner[start..i];
                start = i + 1;
            }
        }
        yield return inner[start..];
    }

    private static string Unquote(string value, int line)
    {
        if (value.Length > 0 && value[0] is '"' or '\'')
        {
            if (value.Length < 2 || value[^1] != value[0]) throw new FrontMatterException(line, $"the value {Cut(value)} opens a quote it does not close");
            var inner = value[1..^1];
            return value[0] == '"' ? inner.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : inner.Replace("''", "'", StringComparison.Ordinal);
        }
        return value;
    }

    /// <summary>A <c> #</c> starts a comment outside quotes.</summary>
    private static string StripComment(string value)
    {
        if (value.Length > 0 && value[0] is '"' or '\'')
        {
            // A comment after a closed quote: "text" # why.
            var close = value.IndexOf(value[0], 1);
            return close > 0 && value[(close + 1)..].TrimStart() is var rest && rest.StartsWith('#') ? value[..(close + 1)] : value;
        }
        var hash = value.IndexOf(" #", StringComparison.Ordinal);
        return hash < 0 ? value : value[..hash].TrimEnd();
    }

    private static List<string> Dedent(List<string> block)
    {
        var indent = block.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return [.. block.Select(l => l.Length >= indent ? l[indent..] : "")];
    }

    private static string Cut(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>A front-matter field: its key, the line it starts on, and a scalar's text or a list's items.</summary>
public sealed record FrontMatterField(string Key, int Line, string? Scalar, IReadOnlyList<string>? Items)
{
    public string Text => Scalar ?? string.Join(", ", Items ?? []);
}

/// <summary>Why a front matter cannot be read, and the 1-based line (of the whole file) it is on.</summary>
public sealed class FrontMatterException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}
