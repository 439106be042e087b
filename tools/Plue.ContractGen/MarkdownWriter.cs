using System.Text;
using Plue.ContractGen.Model;
using Plue.Rpc;

namespace Plue.ContractGen;

/// <summary>
/// Writes the protocol reference: the hand-written introduction, the error codes, every method by area with its params
/// and result, then the shared types. A type only one method uses (its params, mostly) is shown at that method.
/// </summary>
public static class MarkdownWriter
{
    public const string Header = "<!-- Generated from server/Protocol and tools/Plue.ContractGen/PROTOCOL.intro.md by `npm run contract`; do not edit. -->";

    public static string Write(WireContract contract, string intro)
    {
        var types = contract.Types.ToDictionary(t => t.Name);
        var inlined = InlinedTypes(contract);
        var md = new StringBuilder();
        md.Append(Header).Append("\n\n").Append(intro.Replace("\r", "", StringComparison.Ordinal).Trim()).Append("\n\n");

        md.Append("## Error codes\n\n| Code | Name | Meaning |\n| ---: | --- | --- |\n");
        foreach (var code in contract.ErrorCodes) md.Append($"| {code.Code} | `{code.Name}` | {Cell(code.Summary)} |\n");

        md.Append("\n## Methods\n");
        foreach (var area in contract.Methods.GroupBy(m => m.Area))
        {
            md.Append($"\n### {area.Key}\n");
            foreach (var method in area)
            {
                md.Append($"\n#### `{method.Name}`\n\n*{Direction(method)}.*");
                if (method.Summary is { } summary) md.Append(' ').Append(summary);
                md.Append('\n');
                Slot(md, "Params", method.Params, types, inlined);
                if (method.Result is { } result) Slot(md, "Result", result, types, inlined);
            }
        }

        md.Append("\n## Types\n");
        foreach (var type in contract.Types.Where(t => !inlined.Contains(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            md.Append($"\n### {type.Name}\n");
            if (type.Summary is { } summary) md.Append('\n').Append(summary).Append('\n');
            Table(md, type, types);
        }
        return md.ToString();
    }

    private static string Direction(WireMethod m) => (m.Direction, m.IsNotification) switch
    {
        (Rpc.Direction.ClientToSidecar, false) => "Request, client → sidecar",
        (Rpc.Direction.ClientToSidecar, true) => "Notification, client → sidecar",
        (Rpc.Direction.SidecarToClient, false) => "Request, sidecar → client",
        _ => "Notification, sidecar → client",
    };

    private static void Slot(StringBuilder md, string label, TypeRef type, Dictionary<string, WireType> types, HashSet<string> inlined)
    {
        if (type is TypeRef.Nothing)
        {
            md.Append($"\n**{label}:** none.\n");
            return;
        }
        var named = Top(type);
        if (named is null || !inlined.Contains(named))
        {
            md.Append($"\n**{label}:** {Type(type)}.\n");
            return;
        }
        md.Append($"\n**{label}:** {Type(type, link: false)}");
        md.Append(types[named].Summary is { } summary ? ": " + summary + "\n" : ".\n");
        Table(md, types[named], types);
    }

    private static void Table(StringBuilder md, WireType type, Dictionary<string, WireType> types)
    {
        switch (type)
        {
            case WireObject o:
                md.Append("\n| Member | Type | Presence | Description |\n| --- | --- | --- | --- |\n");
                if (o.Tag is { } tag) md.Append($"| `{tag.Member}` | `{tag.Value}` | required | Tells this variant apart. |\n");
                foreach (var m in o.Members)
                {
                    var presence = (m.Optional, m.Nullable) switch
                    {
                        (false, false) => "required",
                        (true, false) => "optional",
                        (false, true) => "nullable",
                        _ => "optional, nullable",
                    };
                    md.Append($"| `{m.Name}` | {Type(m.Type)} | {presence} | {Cell(m.Summary)} |\n");
                }
                if (o.Members.Count == 0 && o.Tag is null) md.Append("| | | | No members: `{}`. |\n");
                break;
            case WireEnum e:
                md.Append("\nA string, one of:\n\n| Value | Meaning |\n| --- | --- |\n");
                foreach (var v in e.Values) md.Append($"| `{TypeScriptWriter.Text(v.Json)}` | {Cell(v.Summary)} |\n");
                break;
            case WireUnion u:
                md.Append($"\nOne of these, told apart by `{u.Discriminator}`:\n\n| `{u.Discriminator}` | Type |\n| --- | --- |\n");
                foreach (var variant in u.Variants)
                    md.Append($"| `{(types[variant] as WireObject)?.Tag?.Value}` | {Type(new TypeRef.Named(variant))} |\n");
                break;
        }
    }

    private static string Type(TypeRef type, bool link = true) => type switch
    {
        TypeRef.Scalar { Kind: ScalarKind.DateTime } => "`string` (ISO 8601 date-time)",
        TypeRef.Scalar { Kind: ScalarKind.JsonValue } => "any JSON",
        TypeRef.Scalar { Kind: ScalarKind.JsonObject } => "JSON object",
        TypeRef.Scalar s => $"`{TypeScriptWriter.Expression(s)}`",
        TypeRef.Named n => link ? $"[`{n.Name}`](#{n.Name.ToLowerInvariant()})" : $"`{n.Name}`",
        TypeRef.ArrayOf a => "array of " + Type(a.Element, link),
        TypeRef.MapOf m => "map of string to " + Type(m.Value, link),
        _ => "none",
    };

    /// <summary>The named type a slot or member holds, directly or as array elements or map values.</summary>
    private static string? Top(TypeRef type) => type switch
    {
        TypeRef.Named n => n.Name,
        TypeRef.ArrayOf a => Top(a.Element),
        TypeRef.MapOf m => Top(m.Value),
        _ => null,
    };

    /// <summary>Objects used in exactly one place, and that place a method's params or result.</summary>
    private static HashSet<string> InlinedTypes(WireContract contract)
    {
        var members = contract.Types.OfType<WireObject>().SelectMany(o => o.Members).Select(m => Top(m.Type))
            .Concat(contract.Types.OfType<WireUnion>().SelectMany(u => u.Variants));
        var slots = contract.Methods.SelectMany(m => new[] { Top(m.Params), m.Result is null ? null : Top(m.Result) }).ToList();
        var uses = members.Concat(slots).OfType<string>().GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        return contract.Types.OfType<WireObject>()
            .Where(o => o.Tag is null && uses.GetValueOrDefault(o.Name) == 1 && slots.Contains(o.Name))
            .Select(o => o.Name)
            .ToHashSet();
    }

    /// <summary>Text safe in a table cell.</summary>
    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
