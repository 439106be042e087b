using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plue.Codex.Json5;
using Plue.Protocol;

namespace Plue.Codex.Templates;

/// <summary>
/// Reads one template file into a <see cref="RawTemplate"/>, reporting every problem with
/// file:line:column. Checks that need other templates (parents, filters) come later.
/// </summary>
public sealed partial class TemplateFileParser
{
    private static readonly HashSet<string> s_topLevel = ["id", "name", "description", "version", "parent_template", "collection", "fields", "automation", "metadata"];
    private static readonly HashSet<string> s_common = ["name", "type", "label", "description", "placeholder", "required", "default", "locked", "conditional", "role"];
    private static readonly Dictionary<FieldType, string[]> s_specific = new()
    {
        [FieldType.Text] = ["max_length", "pattern"],
        [FieldType.Textarea] = ["max_length"],
        [FieldType.Number] = ["min", "max", "step"],
        [FieldType.Boolean] = [],
        [FieldType.Select] = ["options"],
        [FieldType.Url] = [],
        [FieldType.Array] = ["items", "min_items", "max_items"],
        [FieldType.CodexReference] = ["template_filter"],
        [FieldType.FileReference] = [],
        [FieldType.Object] = ["properties"],
        [FieldType.Datetime] = ["auto"],
    };
    private static readonly string[] s_operators = ["equals", "not_equals", "in", "is_set"];
    private static readonly Regex s_semver = new(@"^(\d+)(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant);
    private static readonly Regex s_color = new("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$", RegexOptions.CultureInvariant);

    private readonly string _file;
    private readonly string _source;
    private readonly List<TemplateProblem> _problems = [];
    private IReadOnlyDictionary<string, Json5Position> _positions = new Dictionary<string, Json5Position>();
    /// <summary>Where each top-level field is written: /fields/&lt;name&gt; or, in the list form, /fields/&lt;index&gt;.</summary>
    private readonly Dictionary<string, string> _fieldPointers = new(StringComparer.Ordinal);

    private TemplateFileParser(string file, string source)
    {
        _file = file;
        _source = source;
    }

    /// <summary>The template, or null when it is unusable; problems (errors and warnings) either way.</summary>
    public static (RawTemplate? Template, IReadOnlyList<TemplateProblem> Problems) Parse(string file, string text, string source)
    {
        var parser = new TemplateFileParser(file, source);
        return (parser.Read(text), parser._problems);
    }

    private RawTemplate? Read(string text)
    {
        Json5Document document;
        try
        {
            document = Json5Parser.Parse(text);
        }
        catch (Json5Exception e)
        {
            _problems.Add(new TemplateProblem(_file, e.Line, e.Column, e.Message));
            return null;
        }
        _positions = document.Positions;
        if (document.Root is not JsonObject root)
        {
            Error("", "a template must be an object");
            return null;
        }
        foreach (var (key, _) in root)
            if (!s_topLevel.Contains(key)) Warn(Pointer("", key), $"unknown template member '{key}' is ignored (known: {string.Join(", ", s_topLevel)})");

        var id = RequiredString(root, "", "id");
        var name = RequiredString(root, "", "name");
        var expectedId = Path.GetFileNameWithoutExtension(_file);
        if (id is not null && !IdPattern().IsMatch(id)) Error("/id", $"id '{id}' must be lower-case letters, digits and '-'");
        else if (id is not null && id != expectedId) Error("/id", $"id '{id}' must equal the file name '{expectedId}'");

        var fields = ReadFields(root["fields"]);
        var hooks = ReadHooks(root["automation"]);
        var (version, versionText) = ReadVersion(root["version"]);
        var metadata = ReadMetadata(root["metadata"]);
        if (id is null || name is null || _problems.Any(p => !p.IsWarning)) return null;

        return new RawTemplate
        {
            Id = id,
            Name = name,
            Description = OptionalString(root, "", "description") ?? "",
            Version = version,
            VersionText = versionText,
            Metadata = metadata,
            ParentTemplate = OptionalString(root, "", "parent_template"),
            Collection = OptionalString(root, "", "collection"),
            Fields = fields,
            Hooks = hooks,
            Source = _source,
            FilePath = _file,
            Locate = pointer => Where(FieldPointer(pointer)),
        };
    }

    private List<FieldSpec> ReadFields(JsonNode? node)
    {
        var fields = new List<FieldSpec>();
        if (node is null) return fields;
        foreach (var (name, spec, at) in Named(node, "/fields", "fields"))
        {
            if (!_fieldPointers.TryAdd(name, at))
            {
                Error(at, $"field '{name}' is defined twice");
                continue;
            }
            var field = ReadField(name, spec, at);
            if (field is not null) fields.Add(field);
        }
        return fields;
    }

    /// <summary>
    /// Field specs written either way: an object by name (<c>{goal: {type…}}</c>) or a list of specs that
    /// carry their <c>name</c> (<c>[{name: "goal", type…}]</c>); each with its pointer for positions.
    /// </summary>
    private List<(string Name, JsonNode? Spec, string At)> Named(JsonNode node, string at, string what)
    {
        switch (node)
        {
            case JsonObject obj:
                return [.. obj.Select(p => (p.Key, p.Value, Pointer(at, p.Key)))];
            case JsonArray array:
                var named = new List<(string, JsonNode?, string)>();
                for (var i = 0; i < array.Count; i++)
                {
                    var where = $"{at}/{i}";
                    if (array[i] is JsonObject spec && RequiredString(spec, where, "name") is { } name) named.Add((name, spec, where));
                }
                return named;
            default:
                Error(at, $"'{what}' must be an object of field specs by name, or a list of field specs with a 'name'");
                return [];
        }
    }

    private FieldSpec? ReadField(string name, JsonNode? node, string at)
    {
        if (!FieldNamePattern().IsMatch(name)) Error(at, $"field name '{name}' must start with a letter and hold only letters, digits and '_'");
        if (node is not JsonObject spec)
        {
            Error(at, $"field '{name}' must be an object with a 'type'");
            return null;
        }
        var typeName = RequiredString(spec, at, "type");
        if (typeName is null) return null;
        if (!FieldTypes.TryParse(typeName, out var type))
        {
            Error(Pointer(at, "type"), $"field '{name}' has unknown type '{typeName}' (known: {string.Join(", ", FieldTypes.Names)})");
            return null;
        }
        foreach (var (key, _) in spec)
            if (!s_common.Contains(key) && !s_specific[type].Contains(key))
                Warn(Pointer(at, key), $"field '{name}': '{key}' is not an option of a {typeName} field and is ignored");

        var pattern = OptionalString(spec, at, "pattern");
        var field = new FieldSpec
        {
            Name = name,
            Type = type,
            Label = OptionalString(spec, at, "label"),
            Description = OptionalString(spec, at, "description"),
            Placeholder = OptionalString(spec, at, "placeholder"),
            Required = OptionalBool(spec, at, "required"),
            Locked = OptionalBool(spec, at, "locked"),
            Default = spec["default"]?.DeepClone(),
            Conditional = ReadConditional(spec["conditional"], Pointer(at, "conditional")),
            Min = OptionalNumber(spec, at, "min"),
            Max = OptionalNumber(spec, at, "max"),
            Step = OptionalNumber(spec, at, "step"),
            MaxLength = spec["max_length"] is { } ml ? ReadInt(ml, Pointer(at, "max_length"), "max_length", 0) : null,
            Pattern = pattern,
            Options = type == FieldType.Select ? ReadOptions(spec["options"], Pointer(at, "options"), name) : null,
            Items = type == FieldType.Array ? ReadItems(spec["items"], Pointer(at, "items"), name) : null,
            MinItems = spec["min_items"] is { } mi ? ReadInt(mi, Pointer(at, "min_items"), "min_items", 0) : null,
            MaxItems = spec["max_items"] is { } ma ? ReadInt(ma, Pointer(at, "max_items"), "max_items", 0) : null,
            TemplateFilter = spec["template_filter"] is { } tf ? ReadStrings(tf, Pointer(at, "template_filter")) : null,
            Properties = type == FieldType.Object ? ReadProperties(spec["properties"], Pointer(at, "properties"), name) : null,
            Auto = type == FieldType.Datetime && OptionalBool(spec, at, "auto"),
            Role = ReadRole(spec, at, name, type) ?? ImpliedRole(type, pattern),
        };

        if (field.Min > field.Max) Error(Pointer(at, "min"), $"field '{name}': min {field.Min} is greater than max {field.Max}");
        if (field.Step is <= 0) Error(Pointer(at, "step"), $"field '{name}': step must be positive");
        if (field.Pattern is not null && !IsValidRegex(field.Pattern)) Error(Pointer(at, "pattern"), $"field '{name}': pattern is not a valid regular expression");
        if (field.Default is not null)
        {
            // A default must satisfy its own field (references are checked when a record uses them).
            foreach (var problem in FieldValueRules.Check(field, field.Default, name))
                Error(Pointer(at, "default"), $"field '{name}': default does not fit: {problem}");
        }
        return field;
    }

    /// <summary>A field's <c>role</c>: a secret and a model id are text; any field may be written by its feature only.</summary>
    private FieldRole? ReadRole(JsonObject spec, string at, string name, FieldType type)
    {
        if (OptionalString(spec, at, "role") is not { } text) return null;
        FieldRole? role = text switch
        {
            "secret" => FieldRole.Secret,
            "model" => FieldRole.Model,
            "instance" => FieldRole.Instance,
            "feature-written" => FieldRole.FeatureWritten,
            _ => null,
        };
        if (role is null) Error(Pointer(at, "role"), $"field '{name}' has unknown role '{text}' (known: secret, model, instance, feature-written)");
        else if (role != FieldRole.FeatureWritten && type != FieldType.Text) Error(Pointer(at, "role"), $"field '{name}': role '{text}' is for text fields only");
        return role;
    }

    /// <summary>
    /// The role a text field without one has from its pattern, as templates said it before roles: one naming
    /// <c>vault://</c> holds a secret, one naming <c>codex://providers/</c> an instance. Said here, once, so a form
    /// reads roles only.
    /// </summary>
    private static FieldRole? ImpliedRole(FieldType type, string? pattern) =>
        type != FieldType.Text || pattern is null ? null
        : pattern.Contains("vault://", StringComparison.Ordinal) ? FieldRole.Secret
        : pattern.Contains("codex://providers/", StringComparison.Ordinal) ? FieldRole.Instance
        : null;

    private FieldSpec? ReadItems(JsonNode? node, string at, string name)
    {
        if (node is null) return null; // any items
        var items = ReadField(name + "_item", node, at);
        if (items?.Type == FieldType.Array) Error(at, $"array field '{name}': arrays of arrays are not supported");
        return items is null ? null : items with { Name = name };
    }

    private List<FieldSpec> ReadProperties(JsonNode? node, string at, string name)
    {
        var properties = new List<FieldSpec>();
        if (node is null)
        {
            Error(at[..at.LastIndexOf('/')], $"object field '{name}' needs 'properties'");
            return properties;
        }
        foreach (var (property, spec, where) in Named(node, at, "properties"))
        {
            if (properties.Any(p => p.Name == property)) Error(where, $"object field '{name}': property '{property}' is defined twice");
            else if (ReadField(property, spec, where) is { } field) properties.Add(field);
        }
        return properties;
    }

    private List<SelectOption>? ReadOptions(JsonNode? node, string at, string name)
    {
        if (node is not JsonArray array || array.Count == 0)
        {
            Error(at, $"select field '{name}' needs a non-empty 'options' array");
            return null;
        }
        var options = new List<SelectOption>();
        for (var i = 0; i < array.Count; i++)
        {
            var where = $"{at}/{i}";
            switch (array[i])
            {
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    options.Add(new SelectOption(v.GetValue<string>(), v.GetValue<string>()));
                    break;
                case JsonObject o when o["value"] is JsonValue value && value.GetValueKind() == JsonValueKind.String:
                    options.Add(new SelectOption(value.GetValue<string>(), (o["label"] as JsonValue)?.ToString() ?? value.GetValue<string>()));
                    break;
                default:
                    Error(where, $"select field '{name}': an option is a string or {{value, label}}");
                    break;
            }
        }
        foreach (var dup in options.GroupBy(o => o.Value).Where(g => g.Count() > 1))
            Error(at, $"select field '{name}': option '{dup.Key}' appears twice");
        return options;
    }

    private FieldCondition? ReadConditional(JsonNode? node, string at)
    {
        if (node is null) return null;
        if (node is not JsonObject obj || obj["field"] is not JsonValue f || f.GetValueKind() != JsonValueKind.String || !obj.ContainsKey("value"))
        {
            Error(at, "'conditional' must be {field, value}");
            return null;
        }
        var (line, _) = Where(at);
        return new FieldCondition(f.GetValue<string>(), obj["value"]?.DeepClone()) { WrittenAt = $"{_file}:{line}" };
    }

    private List<HookSpec> ReadHooks(JsonNode? automation)
    {
        var hooks = new List<HookSpec>();
        if (automation is null) return hooks;
        if (automation is not JsonObject obj || obj["hooks"] is not JsonArray array)
        {
            Error("/automation", "'automation' must be {hooks: [...]}");
            return hooks;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var at = $"/automation/hooks/{i}";
            if (array[i] is not JsonObject hook)
            {
                Error(at, "a hook must be an object {trigger, field, conditions?, action}");
                continue;
            }
            var trigger = RequiredString(hook, at, "trigger");
            var field = RequiredString(hook, at, "field");
            var action = RequiredString(hook, at, "action");
            if (trigger is not null && trigger != "field_change") Error(Pointer(at, "trigger"), $"unknown hook trigger '{trigger}' (known: field_change)");
            var conditions = ReadConditions(hook["conditions"], Pointer(at, "conditions"));
            if (trigger is not null && field is not null && action is not null)
                hooks.Add(new HookSpec { Trigger = trigger, Field = field, Action = action, Conditions = conditions });
        }
        return hooks;
    }

    private List<HookCondition> ReadConditions(JsonNode? node, string at)
    {
        var conditions = new List<HookCondition>();
        if (node is null) return conditions;
        if (node is not JsonArray array)
        {
            Error(at, "'conditions' must be an array");
            return conditions;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var where = $"{at}/{i}";
            if (array[i] is not JsonObject c || RequiredString(c, where, "field") is not { } field) continue;
            if (!FieldPath.IsValid(field))
            {
                Error(Pointer(where, "field"), $"condition field '{field}' must be a field name or a path such as messages[-1].role");
                continue;
            }
            var ops = s_operators.Where(c.ContainsKey).ToList();
            if (ops.Count != 1)
            {
                Error(where, $"a condition needs exactly one of {string.Join(", ", s_operators)}");
                continue;
            }
            var operand = c[ops[0]]?.DeepClone();
            if (ops[0] == "in" && operand is not JsonArray) Error(Pointer(where, "in"), "'in' takes an array");
            if (ops[0] == "is_set" && operand?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) Error(Pointer(where, "is_set"), "'is_set' takes true or false");
            conditions.Add(new HookCondition(field, ops[0], operand));
        }
        return conditions;
    }

    /// <summary>A whole number, or a semver string ("1.0.0") whose major part is the number.</summary>
    private (int Version, string Text) ReadVersion(JsonNode? node)
    {
        if (node is null) return (1, "1");
        if (node.GetValueKind() == JsonValueKind.String && s_semver.Match(node.GetValue<string>()) is { Success: true } m
            && int.TryParse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var major))
            return (major, node.GetValue<string>());
        if (node.GetValueKind() == JsonValueKind.Number)
        {
            var number = ReadInt(node, "/version", "version", 0);
            return (number, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Error("/version", "'version' must be a whole number or a semver string such as \"1.0.0\"");
        return (1, "1");
    }

    /// <summary>Free-form facts about the template (icon, color, ...), kept as written for clients.</summary>
    private JsonObject? ReadMetadata(JsonNode? node)
    {
        if (node is null) return null;
        if (node is not JsonObject obj)
        {
            Error("/metadata", "'metadata' must be an object, for example {icon: \"💬\", color: \"#10B981\"}");
            return null;
        }
        foreach (var key in new[] { "icon", "color" })
            if (obj[key] is { } v && v.GetValueKind() != JsonValueKind.String) Error(Pointer("/metadata", key), $"metadata '{key}' must be a string");
        if (obj["color"] is JsonValue c && c.GetValueKind() == JsonValueKind.String && !s_color.IsMatch(c.GetValue<string>()))
            Warn("/metadata/color", $"metadata color '{c}' is not #rgb or #rrggbb; the theme's color is shown instead");
        return obj.DeepClone().AsObject();
    }

    private string? RequiredString(JsonObject obj, string at, string key)
    {
        if (obj[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0) return v.GetValue<string>();
        Error(obj.ContainsKey(key) ? Pointer(at, key) : at, $"'{key}' is required and must be a non-empty string");
        return null;
    }

    private string? OptionalString(JsonObject obj, string at, string key)
    {
        var node = obj[key];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        Error(Pointer(at, key), $"'{key}' must be a string");
        return null;
    }

    private bool OptionalBool(JsonObject obj, string at, string key)
    {
        var node = obj[key];
        if (node is null) return false;
        if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return node.GetValue<bool>();
        Error(Pointer(at, key), $"'{key}' must be true or false");
        return false;
    }

    private double? OptionalNumber(JsonObject obj, string at, string key)
    {
        var node = obj[key];
        if (node is null) return null;
        if (node.GetValueKind() == JsonValueKind.Number && double.IsFinite(node.GetValue<double>())) return node.GetValue<double>();
        Error(Pointer(at, key), $"'{key}' must be a finite number");
        return null;
    }

    private int ReadInt(JsonNode node, string at, string key, int min)
    {
        if (node.GetValueKind() == JsonValueKind.Number && node.GetValue<double>() is var d && d == Math.Floor(d) && d >= min && d <= int.MaxValue)
            return (int)d;
        Error(at, $"'{key}' must be a whole number of at least {min}");
        return min;
    }

    private List<string> ReadStrings(JsonNode node, string at)
    {
        if (node.GetValueKind() == JsonValueKind.String) return [node.GetValue<string>()];
        if (node is JsonArray array && array.All(n => n?.GetValueKind() == JsonValueKind.String))
            return array.Select(n => n!.GetValue<string>()).ToList();
        Error(at, "expected a string or an array of strings");
        return [];
    }

    private void Error(string pointer, string message)
    {
        var (line, column) = Where(pointer);
        _problems.Add(new TemplateProblem(_file, line, column, message));
    }

    /// <summary>Something the template may do without: reported with its position, never a refusal.</summary>
    private void Warn(string pointer, string message)
    {
        var (line, column) = Where(pointer);
        _problems.Add(new TemplateProblem(_file, line, column, message, IsWarning: true));
    }

    /// <summary>/fields/&lt;name&gt;/… as written: by name, or by index in the list form.</summary>
    private string FieldPointer(string pointer)
    {
        const string Prefix = "/fields/";
        if (!pointer.StartsWith(Prefix, StringComparison.Ordinal)) return pointer;
        var rest = pointer[Prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? rest : rest[..slash];
        return _fieldPointers.TryGetValue(name, out var at) ? at + (slash < 0 ? "" : rest[slash..]) : pointer;
    }

    /// <summary>The position of a pointer, or of its nearest ancestor that has one.</summary>
    private (int Line, int Column) Where(string pointer)
    {
        for (var p = pointer; ; p = p[..p.LastIndexOf('/')])
        {
            if (_positions.TryGetValue(p, out var pos)) return (pos.Line, pos.Column);
            if (p.Length == 0) return (1, 1);
        }
    }

    private static string Pointer(string at, string key) => $"{at}/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";

    private static bool IsValidRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex FieldNamePattern();
}
