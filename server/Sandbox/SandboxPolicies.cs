using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Sandbox;

/// <summary>
/// The sandbox policies: templates derived from <c>sandbox-policy</c> (the shipped off, workspace-write, read-only, or
/// the user's own), a record of such a template being the user's edit of it; or a record of <c>sandbox-policy</c>
/// itself, named by its title and <c>codex://sandbox-policies/&lt;slug&gt;</c>. A record naming the workspace's folders
/// is the workspace's policy; otherwise it is workspace-write. A mode or a task template names its own
/// (<c>sandbox_policy</c>); a task tree's children get their own narrowed by every ancestor's.
/// </summary>
public sealed class SandboxPolicies
{
    public const string BaseTemplate = "sandbox-policy";
    /// <summary>The field of a chat mode and of a task naming the policy its commands run under.</summary>
    public const string Field = "sandbox_policy";

    private readonly CodexService _codex;
    private readonly TemplateRegistry _templates;
    private readonly WorkspaceContext _session;
    private readonly ISandboxGrants? _grants;

    public SandboxPolicies(CodexService codex, TemplateRegistry templates, WorkspaceContext session, ISandboxGrants? grants = null)
    {
        _codex = codex;
        _templates = templates;
        _session = session;
        _grants = grants;
    }

    public IReadOnlyList<SandboxPolicy> List() =>
        [.. _templates.Current.Templates.Values.Where(t => t.IsA(BaseTemplate) && t.Id != BaseTemplate).Select(t => FromTemplate(t))
            .Concat(Records(BaseTemplate).Select(r => Read(r.Ref, r.Title, r.Fields)))];

    /// <summary>The policy named <paramref name="id"/> (a template id or a record's reference); null when there is none.</summary>
    public SandboxPolicy? Find(string id)
    {
        if (id.StartsWith(CodexReference.Scheme, StringComparison.Ordinal))
        {
            try
            {
                var record = _codex.Resolve(CodexReference.Parse(id));
                return record.TemplateId == BaseTemplate ? Read(record.Ref, record.Title, record.Fields) : null;
            }
            catch (Rpc.RpcException)
            {
                return null;
            }
        }
        return _templates.Find(id) is { } template && template.IsA(BaseTemplate) && template.Id != BaseTemplate ? FromTemplate(template) : null;
    }

    /// <summary>
    /// The policy <paramref name="id"/> names; none named: the workspace's. A name that no longer resolves (a policy
    /// deleted since) is read-only: a command never runs wider than the user chose because a record went away.
    /// </summary>
    public SandboxPolicy Resolve(string? id) => string.IsNullOrWhiteSpace(id) ? ForWorkspace() : Granted(Find(id) ?? SandboxPolicy.ReadOnly);

    /// <summary>The policy of a record naming this workspace's folders, else workspace-write; widened by the workspace's sandbox grants.</summary>
    public SandboxPolicy ForWorkspace() => Granted(Chosen());

    /// <summary>
    /// <paramref name="policy"/> with what "Always for this workspace" allowed from a denial: the paths and hosts of
    /// this workspace's <c>tool-grant</c> records that carry <c>sandbox_path</c> or <c>sandbox_host</c>.
    /// </summary>
    private SandboxPolicy Granted(SandboxPolicy policy)
    {
        if (policy.IsOff || _session.Folders.Count == 0 || _grants is null) return policy;
        var (granted, hosts) = _grants.For(_session.Folders);
        // The path as granted (never its folder: a path since removed opens nothing wider).
        var paths = granted.Where(p => !policy.WritablePaths.Contains(p, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        var widened = paths.Count == 0 ? policy : policy with { WritablePaths = [.. policy.WritablePaths, .. paths] };
        return hosts.Count == 0 ? widened : widened.Reaching(hosts);
    }

    private SandboxPolicy Chosen()
    {
        var folders = _session.Folders.Order(StringComparer.Ordinal).ToList();
        if (folders.Count > 0)
        {
            var family = _templates.Current.Templates.Values.Where(t => t.IsA(BaseTemplate)).Select(t => t.Id).ToList();
            foreach (var record in _codex.List(new CodexQuery { TemplateIds = family, Limit = 200 }).Items)
                if (Strings(record.Fields, "folders").Order(StringComparer.Ordinal).SequenceEqual(folders))
                    return record.TemplateId == BaseTemplate || _templates.Find(record.TemplateId) is not { } template
                        ? Read(record.Ref, record.Title, record.Fields) : FromTemplate(template, record);
        }
        return Find(SandboxPolicy.WorkspaceWriteId) ?? SandboxPolicy.WorkspaceWrite;
    }

    /// <param name="edit">The user's record of the template; none given: the newest naming no workspace.</param>
    private SandboxPolicy FromTemplate(TemplateDefinition template, CodexRecord? edit = null)
    {
        var fields = new JsonObject();
        foreach (var field in template.Fields)
            if (field.Default is { } value) fields[field.Name] = value.DeepClone();
        if ((edit ?? Records(template.Id).FirstOrDefault(r => Strings(r.Fields, "folders").Count == 0)) is { } chosen)
            foreach (var (name, value) in chosen.Fields) fields[name] = value?.DeepClone();
        return Read(template.Id, template.Name, fields);
    }

    /// <summary>A policy from its fields; an unknown value is read as the tighter choice.</summary>
    public static SandboxPolicy Read(string id, string name, JsonObject fields) => new()
    {
        Id = id,
        Name = name,
        Files = Text(fields, "filesystem") switch { "off" => SandboxFiles.Off, "workspace-write" => SandboxFiles.WorkspaceWrite, _ => SandboxFiles.ReadOnly },
        HideHome = Text(fields, "home") != "read-only",
        Network = Text(fields, "network") switch { "open" => SandboxNetwork.Open, "allow-list" => SandboxNetwork.AllowList, _ => SandboxNetwork.None },
        AllowedHosts = Strings(fields, "allowed_hosts"),
        WritablePaths = Strings(fields, "writable_paths"),
        Sockets = Strings(fields, "sockets"),
        Credentials = Strings(fields, "credentials"),
        Container = Text(fields, "runs") == "container" ? new SandboxContainer(Blank(Text(fields, "engine")), Blank(Text(fields, "image"))) : null,
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string? Text(JsonObject fields, string name) =>
        fields[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static List<string> Strings(JsonObject fields, string name) =>
        fields[name] is JsonArray items ? [.. items.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>().Where(s => s.Length > 0)] : [];

    private IEnumerable<CodexRecord> Records(string templateId) =>
        _codex.List(new CodexQuery { TemplateIds = [templateId], Limit = 200 }).Items.Where(r => r.TemplateId == templateId);
}
