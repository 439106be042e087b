using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Agents.Mcp.OAuth;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Vault;

namespace Plue.Agents.Mcp;

/// <summary>
/// The <c>mcp-server</c> kind: a record's fields typed once (<see cref="McpServerRecordFields"/>), as the server to
/// start (<see cref="Config"/>) and as clients see it (<see cref="Server"/>, each secret variable saying whether the
/// vault holds it); and the secrets it owns in the vault (its variables' and headers' <c>vault://mcp/&lt;slug&gt;.&lt;NAME&gt;</c>,
/// its OAuth sign-in), put away when the record is deleted by any door and brought back by undo, as a provider
/// instance's key is.
/// </summary>
public sealed class McpServerKind(IVault vault) : IRecordKind
{
    /// <summary>Where a deleted server's secrets wait for an undo, together: <c>vault://undo/&lt;record id&gt;</c>.</summary>
    private const string UndoProvider = "undo";

    public string TemplateId => McpServerConfig.TemplateId;

    /// <summary>The secrets the server owned move aside, out of reach of a new server that takes the slug, until an undo.</summary>
    public void Deleted(CodexRecord record)
    {
        try
        {
            var kept = new JsonObject();
            foreach (var reference in Owned(record))
                if (vault.Resolve(reference) is { } value) kept[reference] = value;
            if (kept.Count == 0) return;
            vault.Store(UndoReference(record), kept.ToJsonString());
            foreach (var (reference, _) in kept) vault.Delete(reference);
        }
        catch (RpcException e) when (e.Code == PlueErrorCodes.VaultError)
        {
            // The vault cannot be opened: the secrets stay where they were, and the committed delete stands.
        }
    }

    public void Restored(CodexRecord record)
    {
        try
        {
            if (vault.Resolve(UndoReference(record)) is not { } text || JsonNode.Parse(text) is not JsonObject kept) return;
            foreach (var (reference, value) in kept)
                if (value is JsonValue secret && secret.TryGetValue<string>(out var plain)) vault.Store(reference, plain);
            vault.Delete(UndoReference(record));
        }
        catch (Exception e) when (e is RpcException { Code: PlueErrorCodes.VaultError } or JsonException)
        {
            // Left aside: the server is back without them, and says which secrets are not stored.
        }
    }

    /// <summary>
    /// The vault entries the record owns: its variables' and headers' references under its own name
    /// (<c>vault://mcp/&lt;slug&gt;.</c>; another record's or a shared secret it only names stays), and a remote server's sign-in.
    /// </summary>
    private static IEnumerable<string> Owned(CodexRecord record)
    {
        var fields = McpServerRecordFields.Of(record.Fields);
        var own = $"{VaultReference.Scheme}mcp/{record.Slug}.";
        var named = fields.Env.Select(e => Split(e, '=').Value.Trim())
            .Concat(fields.Headers.SelectMany(h => McpRemote.References(h)))
            .Where(r => r.StartsWith(own, StringComparison.Ordinal));
        var signIn = fields.Transport == McpServerConfig.Http ? [McpTokenVault.Reference(record.Slug)] : Array.Empty<string>();
        return named.Concat(signIn).Distinct(StringComparer.Ordinal);
    }

    private static string UndoReference(CodexRecord record) => $"{VaultReference.Scheme}{UndoProvider}/{record.Id}";

    /// <summary>
    /// A slug names the tools, <c>mcp__&lt;slug&gt;__&lt;tool&gt;</c>, and the secrets, <c>vault://mcp/&lt;slug&gt;.&lt;NAME&gt;</c>,
    /// read back by splitting at the first dot: "db.prod 2" is <c>db-prod-2</c> from every door.
    /// </summary>
    public bool SlugsHaveDots => false;

    public RecordView View(CodexRecord record) => new McpServerView { Server = Server(record) };

    /// <summary>The server a record configures, as clients see it.</summary>
    public McpServer Server(CodexRecord record)
    {
        var fields = McpServerRecordFields.Of(record.Fields);
        var stored = vault.StoredOrNone();
        var remote = fields.Transport == McpServerConfig.Http;
        return new McpServer
        {
            Transport = remote ? McpServerConfig.Http : McpServerConfig.Stdio,
            Url = remote ? fields.Url : null,
            Headers = fields.Headers,
            Command = fields.Command ?? "",
            Args = fields.Args,
            Env = [.. fields.Env.Select(e => Split(e, '=')).Select(e => new McpEnvVar
            {
                Name = e.Key,
                Value = e.Value,
                Stored = e.Value.StartsWith(VaultReference.Scheme, StringComparison.Ordinal) ? stored.Contains(e.Value) : null,
            })],
            Trusted = fields.Trusted ?? false,
            Enabled = fields.Enabled ?? true,
        }.Headed(record);
    }

    /// <summary>The record as the server to start; the record must be of the <c>mcp-server</c> template.</summary>
    public static McpServerConfig Config(CodexRecord record)
    {
        var fields = McpServerRecordFields.Of(record.Fields);
        return new McpServerConfig
        {
            Slug = record.Slug,
            Title = record.Title,
            Version = record.Version,
            Transport = fields.Transport ?? McpServerConfig.Stdio,
            Url = fields.Url ?? "",
            Headers = [.. fields.Headers.Select(h => Split(h, ':')).Select(h => KeyValuePair.Create(h.Key.Trim(), h.Value.Trim()))],
            ClientMetadataUrl = fields.ClientMetadataUrl ?? "",
            Command = fields.Command ?? "",
            Args = fields.Args,
            Env = [.. fields.Env.Select(e => Split(e, '='))],
            Trusted = fields.Trusted ?? false,
            Enabled = fields.Enabled ?? true,
        };
    }

    private static KeyValuePair<string, string> Split(string entry, char separator)
    {
        var at = entry.IndexOf(separator, StringComparison.Ordinal);
        return at < 0 ? new(entry, "") : new(entry[..at], entry[(at + 1)..]);
    }
}
