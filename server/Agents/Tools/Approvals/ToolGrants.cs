using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Agents.Tools.Approvals;

/// <summary>
/// The "Always…" answers as <c>tool-grant</c> records (templates/tool-grant.json5): versioned, kept in history and
/// told by <c>codex/changed</c> like every record, and read from the shared store on every question, so a grant made
/// in a chat, a task, <c>plue ask</c> or <c>plue acp</c>, or in another window, counts at once everywhere. A workspace
/// is its exact set of folders. Grants once kept in <c>$PLUE_HOME/permissions.json</c> become records on first use.
/// </summary>
public sealed partial class ToolGrants(CodexService codex, Func<string> home, ILogger<ToolGrants> logger) : Sandbox.ISandboxGrants
{
    public const string TemplateId = "tool-grant";
    public const string LegacyFileName = "permissions.json";
    private const int MaxLegacyBytes = 4 * 1024 * 1024;
    private readonly Lock _migrating = new();
    private bool _migrated;

    /// <summary>Full paths without a trailing separator, sorted and distinct: how a workspace is recognised.</summary>
    public static List<string> Key(IEnumerable<string> folders) =>
        [.. folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Every grant, the newest first.</summary>
    public IReadOnlyList<CodexRecord> Records()
    {
        Migrate();
        return codex.List(new CodexQuery { TemplateIds = [TemplateId], Limit = 1000 }).Items;
    }

    /// <summary>The rules the grants make for a call in this workspace by this chat or task: the user-wide ones first, then the workspace's, then the owner's.</summary>
    public IReadOnlyList<ApprovalRule> Rules(IReadOnlyList<string> folders, string ownerId, bool ownerIsChat)
    {
        var key = folders.Count > 0 ? Key(folders) : null;
        // A sandbox grant widens the policy instead (SandboxPolicies reads it): it allows no call without asking.
        var grants = Records().Select(r => (Record: r, Fields: ToolGrantFields.Of(r.Fields))).Where(g => g.Fields.SandboxPath is null && g.Fields.SandboxHost is null).ToList();
        var ownerSource = ownerIsChat ? ApprovalRule.FromChat : ApprovalRule.FromTask;
        return
        [
            .. grants.Where(g => g.Fields.Scope == ApprovalRule.FromUser).Select(g => Rule(g.Record, g.Fields, ApprovalRule.FromUser)),
            .. grants.Where(g => g.Fields.Scope == ApprovalRule.FromWorkspace && key is not null && g.Fields.Folders.SequenceEqual(key)).Select(g => Rule(g.Record, g.Fields, ApprovalRule.FromWorkspace)),
            .. grants.Where(g => g.Fields.Scope is ApprovalRule.FromChat or ApprovalRule.FromTask && g.Fields.OwnerId == ownerId).Select(g => Rule(g.Record, g.Fields, ownerSource)),
        ];
    }

    /// <summary>Records an "Always…" answer, unless the same grant is there already; returns the grant.</summary>
    public CodexRecord Add(string scope, IReadOnlyList<string>? folders, string? ownerId, string tool, string? prefix, string? glob, string? host = null)
    {
        var wanted = new ToolGrantFields
        {
            Scope = scope,
            Folders = scope == ApprovalRule.FromWorkspace ? Key(folders ?? []) : [],
            OwnerId = scope is ApprovalRule.FromWorkspace or ApprovalRule.FromUser ? null : ownerId,
            Tool = tool,
            CommandPrefix = Blank(prefix),
            PathGlob = Blank(glob),
            Host = Blank(host),
        };
        if (Records().FirstOrDefault(r => ToolGrantFields.Of(r.Fields).SameAs(wanted)) is { } existing) return existing;
        var rule = new ApprovalRule { Source = scope, Tool = tool, CommandPrefix = wanted.CommandPrefix, PathGlob = wanted.PathGlob, Host = wanted.Host };
        return codex.Create(new CodexDraft { TemplateId = TemplateId, Title = $"{rule.What} ({scope})", Fields = wanted.ToJson() }, byFeature: true);
    }

    /// <summary>
    /// Records "Always for this workspace" of a sandbox denial: a workspace grant of <paramref name="tool"/> whose path is
    /// writable or host reachable under the workspace's policy, unless the same grant is there already.
    /// </summary>
    public CodexRecord AddSandbox(IReadOnlyList<string> folders, string tool, string? path, string? host)
    {
        var wanted = new ToolGrantFields { Scope = ApprovalRule.FromWorkspace, Folders = Key(folders), Tool = tool, SandboxPath = Blank(path), SandboxHost = Blank(host) };
        if (Records().FirstOrDefault(r => ToolGrantFields.Of(r.Fields).SameAs(wanted)) is { } existing) return existing;
        return codex.Create(new CodexDraft { TemplateId = TemplateId, Title = $"{SandboxWhat(wanted)} (workspace)", Fields = wanted.ToJson() }, byFeature: true);
    }

    /// <summary>The paths and hosts this workspace's sandbox grants ("Always for this workspace" of a denial) allow.</summary>
    public (IReadOnlyList<string> Paths, IReadOnlyList<string> Hosts) For(IReadOnlyList<string> folders)
    {
        var key = Key(folders);
        var grants = Records().Select(r => ToolGrantFields.Of(r.Fields))
            .Where(f => f.Scope == "workspace" && f.Folders.SequenceEqual(key)).ToList();
        return ([.. grants.Select(f => f.SandboxPath).OfType<string>()], [.. grants.Select(f => f.SandboxHost).OfType<string>()]);
    }

    /// <summary>A sandbox grant in words: "bash may write /srv/out", "bash may reach example.com:443".</summary>
    public static string SandboxWhat(ToolGrantFields fields) =>
        fields.SandboxPath is { } path ? $"{fields.Tool} may write {path}" : $"{fields.Tool} may reach {fields.SandboxHost}";

    /// <summary>Revokes one grant (the record is deleted: its history keeps it, and undo brings it back).</summary>
    public int Revoke(string id)
    {
        var record = codex.Get(id);
        if (!codex.IsA(record, TemplateId)) throw RpcException.InvalidParams($"'{record.Title}' is not a tool grant");
        codex.Delete(id);
        return 1;
    }

    /// <summary>Revokes every grant of a workspace or of a chat or task, or only those of one tool; returns how many.</summary>
    public int Revoke(IReadOnlyList<string>? folders, string? ownerId, string? tool)
    {
        var key = folders is null ? null : Key(folders);
        var gone = Records().Where(r => ToolGrantFields.Of(r.Fields) is var f
            && (key is not null ? f.Scope == ApprovalRule.FromWorkspace && f.Folders.SequenceEqual(key) : f.OwnerId == ownerId)
            && (tool is null || f.Tool == tool)).ToList();
        foreach (var record in gone) codex.Delete(record.Id);
        return gone.Count;
    }

    /// <summary>A grant as clients see it, its chat or task named by title.</summary>
    public ToolGrantInfo Info(CodexRecord record, IReadOnlyList<string> currentFolders)
    {
        var fields = ToolGrantFields.Of(record.Fields);
        var rule = Rule(record, fields, fields.Scope ?? ApprovalRule.FromWorkspace);
        return new ToolGrantInfo
        {
            Scope = rule.Source,
            Tool = rule.Tool,
            CommandPrefix = rule.CommandPrefix,
            PathGlob = rule.PathGlob,
            Host = rule.Host,
            Decision = rule.Decision,
            Folders = rule.Source == ApprovalRule.FromWorkspace ? fields.Folders : null,
            OwnerId = fields.OwnerId,
            OwnerTitle = fields.OwnerId is { } owner ? TitleOf(owner) : null,
            What = fields.SandboxPath is not null || fields.SandboxHost is not null ? SandboxWhat(fields) : rule.What,
            SandboxPath = fields.SandboxPath,
            SandboxHost = fields.SandboxHost,
            Current = rule.Source == ApprovalRule.FromWorkspace && currentFolders.Count > 0 && fields.Folders.SequenceEqual(Key(currentFolders)),
        }.Headed(record);
    }

    private static ApprovalRule Rule(CodexRecord record, ToolGrantFields fields, string source) => new()
    {
        Source = source,
        Tool = fields.Tool ?? "",
        CommandPrefix = fields.CommandPrefix,
        PathGlob = fields.PathGlob,
        Host = fields.Host,
        Decision = fields.Decision == ApprovalRule.Deny ? ApprovalRule.Deny : ApprovalRule.Allow,
        GrantId = record.Id,
    };

    private string? TitleOf(string id)
    {
        try
        {
            return codex.Get(id).Title;
        }
        catch (RpcException)
        {
            return null;
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Moves the workspace grants of the old <c>permissions.json</c> into records once, keeping the file aside.</summary>
    private void Migrate()
    {
        lock (_migrating)
        {
            if (_migrated) return;
            _migrated = true;
            var path = Path.Combine(home(), LegacyFileName);
            if (!File.Exists(path)) return;
            try
            {
                var file = JsonSerializer.Deserialize(RegularFile.ReadBytes(path, MaxLegacyBytes).Span, PermissionsFileJsonContext.Default.PermissionsFile);
                var existing = codex.List(new CodexQuery { TemplateIds = [TemplateId], Limit = 1000 }).Items.Select(r => ToolGrantFields.Of(r.Fields)).ToList();
                foreach (var entry in file?.Workspaces ?? [])
                    foreach (var tool in entry.Tools ?? [])
                    {
                        var fields = new ToolGrantFields { Scope = ApprovalRule.FromWorkspace, Folders = Key(entry.Folders), Tool = tool };
                        if (!existing.Any(e => e.SameAs(fields)))
                            codex.Create(new CodexDraft { TemplateId = TemplateId, Title = $"{tool} (workspace)", Fields = fields.ToJson() }, byFeature: true);
                    }
                File.Move(path, $"{path}.migrated", overwrite: true);
                LogMigrated(path);
            }
            catch (Exception e) when (e is JsonException or RegularFileException or IOException or RpcException)
            {
                // Left in place: nothing counts as allowed from it (the user is asked again), and the next start tries again.
                _migrated = false;
                LogUnreadable(path, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved the workspace grants of {Path} into tool-grant records; the file is kept as permissions.json.migrated")]
    private partial void LogMigrated(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} could not be moved into tool-grant records ({Reason}); its grants are not in force until it is fixed or removed")]
    private partial void LogUnreadable(string path, string reason);
}

/// <summary>A <c>tool-grant</c> record's fields, typed.</summary>
public sealed record ToolGrantFields
{
    public string? Scope { get; init; }
    public IReadOnlyList<string> Folders { get; init; } = [];
    public string? OwnerId { get; init; }
    public string? Tool { get; init; }
    public string? CommandPrefix { get; init; }
    public string? PathGlob { get; init; }
    public string? Host { get; init; }
    public string? Decision { get; init; }
    /// <summary>A sandbox grant's path made writable or host made reachable: it widens the policy, deciding no approval.</summary>
    public string? SandboxPath { get; init; }
    public string? SandboxHost { get; init; }

    public static ToolGrantFields Of(JsonObject fields) => new()
    {
        Scope = Text(fields, "scope"),
        Folders = fields["folders"] is JsonArray folders ? [.. folders.OfType<JsonValue>().Select(f => f.GetValue<string>())] : [],
        OwnerId = Text(fields, "owner_id"),
        Tool = Text(fields, "tool"),
        CommandPrefix = Text(fields, "command_prefix"),
        PathGlob = Text(fields, "path_glob"),
        Host = Text(fields, "host"),
        Decision = Text(fields, "decision"),
        SandboxPath = Text(fields, "sandbox_path"),
        SandboxHost = Text(fields, "sandbox_host"),
    };

    public bool SameAs(ToolGrantFields other) =>
        Scope == other.Scope && Folders.SequenceEqual(other.Folders) && OwnerId == other.OwnerId && Tool == other.Tool
        && CommandPrefix == other.CommandPrefix && PathGlob == other.PathGlob && Host == other.Host && SandboxPath == other.SandboxPath && SandboxHost == other.SandboxHost && (Decision ?? ApprovalRule.Allow) == (other.Decision ?? ApprovalRule.Allow);

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["scope"] = Scope, ["tool"] = Tool, ["decision"] = Decision ?? ApprovalRule.Allow };
        if (Folders.Count > 0) json["folders"] = new JsonArray([.. Folders.Select(f => (JsonNode)JsonValue.Create(f))]);
        if (OwnerId is not null) json["owner_id"] = OwnerId;
        if (CommandPrefix is not null) json["command_prefix"] = CommandPrefix;
        if (PathGlob is not null) json["path_glob"] = PathGlob;
        if (Host is not null) json["host"] = Host;
        if (SandboxPath is not null) json["sandbox_path"] = SandboxPath;
        if (SandboxHost is not null) json["sandbox_host"] = SandboxHost;
        return json;
    }

    private static string? Text(JsonObject fields, string name) =>
        fields[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
