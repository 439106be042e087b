using System.Text;
using System.Text.Json;
using Plue.ContractGen.Model;
using Plue.Rpc;

namespace Plue.ContractGen;

/// <summary>Writes the contract as TypeScript declarations: types, the method maps and the error codes (the only runtime value).</summary>
public static class TypeScriptWriter
{
    public const string Header = "// Generated from server/Protocol by `npm run contract`; do not edit.";

    public static string Write(WireContract contract)
    {
        var ts = new StringBuilder();
        ts.Append(Header).Append('\n');
        ts.Append("""
            /**
             * The sidecar's JSON-RPC contract (docs/PROTOCOL.md): every wire type, the methods in four maps, the error codes.
             * A member marked `?` may be absent from the JSON; `| null` means the key is there and may hold null.
             * A method that takes no params has `void` for them.
             */

            /** Any JSON value. */
            export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

            /** A JSON object. */
            export interface JsonObject {
            	[key: string]: JsonValue;
            }

            /** A date and time as ISO 8601 with its offset, e.g. `2026-05-01T09:30:00.123+00:00`. */
            export type IsoDateTime = string;

            """.Replace("\r", "", StringComparison.Ordinal));
        foreach (var type in contract.Types) WriteType(ts, type);

        WriteMap(ts, "ClientRequests", "Requests the client sends and the sidecar answers: `[params, result]`.",
            contract.Methods.Where(m => m.Direction == Direction.ClientToSidecar && !m.IsNotification));
        WriteMap(ts, "ClientNotifications", "Notifications the client sends to the sidecar: their params.",
            contract.Methods.Where(m => m.Direction == Direction.ClientToSidecar && m.IsNotification));
        WriteMap(ts, "SidecarNotifications", "Notifications the sidecar sends to the client: their params.",
            contract.Methods.Where(m => m.Direction == Direction.SidecarToClient && m.IsNotification));
        WriteMap(ts, "SidecarRequests", "Requests the sidecar sends and the client answers: `[params, result]`.",
            contract.Methods.Where(m => m.Direction == Direction.SidecarToClient && !m.IsNotification));

        ts.Append('\n');
        Doc(ts, "", "The `code` of an error response: JSON-RPC's and LSP's, then the project's own (-33000 and below).");
        ts.Append("export const ErrorCodes = {\n");
        foreach (var code in contract.ErrorCodes)
        {
            Doc(ts, "\t", code.Summary);
            ts.Append('\t').Append(code.Name).Append(": ").Append(code.Code).Append(",\n");
        }
        ts.Append("} as const;\n\n");
        Doc(ts, "", "One of the `ErrorCodes`.");
        ts.Append("export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];\n");
        return ts.ToString();
    }

    private static void WriteType(StringBuilder ts, WireType type)
    {
        ts.Append('\n');
        switch (type)
        {
            case WireObject o:
                Doc(ts, "", o.Summary);
                ts.Append("export interface ").Append(o.Name).Append(" {\n");
                if (o.Tag is { } tag) ts.Append('\t').Append(tag.Member).Append(": ").Append(Literal(tag.Value)).Append(";\n");
                foreach (var m in o.Members)
                {
                    Doc(ts, "\t", m.Summary);
                    ts.Append('\t').Append(m.Name).Append(m.Optional ? "?: " : ": ").Append(Expression(m.Type)).Append(m.Nullable ? " | null" : "").Append(";\n");
                }
                ts.Append("}\n");
                break;
            case WireEnum e:
                var documented = e.Values.Where(v => v.Summary is not null).Select(v => $"- `{Text(v.Json)}`: {v.Summary}");
                Doc(ts, "", string.Join("\n\n", new[] { e.Summary, string.Join('\n', documented) }.Where(t => !string.IsNullOrEmpty(t))));
                ts.Append("export type ").Append(e.Name).Append(" = ").Append(string.Join(" | ", e.Values.Select(v => Literal(v.Json)))).Append(";\n");
                break;
            case WireUnion u:
                Doc(ts, "", $"{u.Summary}{(u.Summary is null ? "" : "\n")}Told apart by `{u.Discriminator}`.");
                ts.Append("export type ").Append(u.Name).Append(" = ").Append(string.Join(" | ", u.Variants)).Append(";\n");
                break;
        }
    }

    private static void WriteMap(StringBuilder ts, string name, string summary, IEnumerable<WireMethod> methods)
    {
        var list = methods.ToList();
        if (list.Count == 0) return;
        ts.Append('\n');
        Doc(ts, "", summary);
        ts.Append("export interface ").Append(name).Append(" {\n");
        foreach (var m in list)
        {
            Doc(ts, "\t", m.Summary);
            ts.Append("\t'").Append(m.Name).Append("': ");
            ts.Append(m.Result is { } result ? $"[{Expression(m.Params)}, {Expression(result)}]" : Expression(m.Params)).Append(";\n");
        }
        ts.Append("}\n");
    }

    public static string Expression(TypeRef type) => type switch
    {
        TypeRef.Scalar { Kind: ScalarKind.String } => "string",
        TypeRef.Scalar { Kind: ScalarKind.Number } => "number",
        TypeRef.Scalar { Kind: ScalarKind.Boolean } => "boolean",
        TypeRef.Scalar { Kind: ScalarKind.DateTime } => "IsoDateTime",
        TypeRef.Scalar { Kind: ScalarKind.JsonObject } => "JsonObject",
        TypeRef.Scalar => "JsonValue",
        TypeRef.Named n => n.Name,
        TypeRef.ArrayOf a => Expression(a.Element) + "[]",
        TypeRef.MapOf m => $"Record<string, {Expression(m.Value)}>",
        TypeRef.Nothing => "void",
        _ => throw new NotSupportedException(type.ToString()),
    };

    /// <summary>A JSON string or number as a TypeScript literal type: <c>"tool_use"</c> → <c>'tool_use'</c>.</summary>
    private static string Literal(string json) =>
        json.StartsWith('"') ? "'" + Text(json).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'" : json;

    /// <summary>A JSON string's text, or a number as it is.</summary>
    public static string Text(string json) => json.StartsWith('"') ? JsonSerializer.Deserialize(json, TextJsonContext.Default.String)! : json;

    private static void Doc(StringBuilder ts, string indent, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        var lines = text.Replace("*/", "*\\/", StringComparison.Ordinal).Split('\n');
        if (lines.Length == 1)
        {
            ts.Append(indent).Append("/** ").Append(lines[0]).Append(" */\n");
            return;
        }
        ts.Append(indent).Append("/**\n");
        foreach (var line in lines) ts.Append(indent).Append(line.Length == 0 ? " *" : " * " + line).Append('\n');
        ts.Append(indent).Append(" */\n");
    }
}
