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
/// vault holds it).
/// </summary>
public sealed class McpServerKind(IVault vault) : IRecordKind
{
    public string TemplateId => McpServerConfig.TemplateId;

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
