using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Plue.ContractGen;

/// <summary>
/// The <c>&lt;summary&gt;</c> docs of an assembly, from the XML documentation file the compiler writes beside it,
/// as one line of Markdown: <c>&lt;c&gt;</c> becomes backticks, a <c>&lt;see cref&gt;</c> the name the wire uses.
/// </summary>
internal sealed partial class XmlDocs
{
    private readonly Dictionary<string, XElement> _summaries;
    private readonly Func<string, string?> _crefName;

    /// <param name="crefName">The wire name for a cref id (<c>F:Plue.Protocol.Contract.Ping</c> → <c>plue/ping</c>), or null for the default.</param>
    public XmlDocs(Assembly assembly, Func<string, string?> crefName)
    {
        var file = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(file)) throw new FileNotFoundException($"No XML documentation beside {assembly.Location}: is GenerateDocumentationFile on?", file);
        _summaries = XDocument.Load(file).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => m.Element("summary")!);
        _crefName = crefName;
    }

    public string? OfType(Type type) => Summary("T:" + DocName(type));

    public string? OfMember(MemberInfo member) =>
        Summary((member is FieldInfo ? "F:" : "P:") + DocName(member.DeclaringType!) + "." + member.Name);

    private string? Summary(string id)
    {
        if (!_summaries.TryGetValue(id, out var summary)) return null;
        var text = new StringBuilder();
        Render(summary, text);
        var line = Whitespace().Replace(text.ToString(), " ").Trim();
        return line.Length == 0 ? null : line;
    }

    private void Render(XElement element, StringBuilder text)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement { Name.LocalName: "c" or "code" } c:
                    text.Append('`').Append(c.Value).Append('`');
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("langword") is { } word:
                    text.Append('`').Append(word.Value).Append('`');
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("cref") is { } cref:
                    text.Append('`').Append(see.Value is { Length: > 0 } label ? label : _crefName(cref.Value) ?? ShortName(cref.Value)).Append('`');
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } p:
                    text.Append('`').Append((string?)p.Attribute("name")).Append('`');
                    break;
                case XElement e:
                    Render(e, text);
                    text.Append(' ');
                    break;
            }
        }
    }

    /// <summary><c>T:Plue.Protocol.PingParams</c> → <c>PingParams</c>; a member's last part, as written in C#.</summary>
    private static string ShortName(string cref)
    {
        var name = cref[(cref.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0) name = name[..paren];
        name = name[(name.LastIndexOf('.') + 1)..];
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick >= 0 ? name[..tick] : name;
    }

    private static string DocName(Type type) => type.FullName!.Replace('+', '.');

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
