using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Protocol;

namespace Plue.Codex.Kinds;

/// <summary>
/// What a feature knows about the records of one template (and the templates that inherit from it), declared once
/// and registered into Codex, so <see cref="CodexService"/> applies it to every write whichever request made it.
/// </summary>
public interface IRecordKind
{
    /// <summary>The template these records are; a template whose lineage holds it is this kind too.</summary>
    string TemplateId { get; }

    /// <summary>
    /// Whether the records' slugs may hold dots (claude-4.5-sonnet). False where a slug is joined to other names by
    /// dots or read back out of them (an MCP server's secrets are <c>vault://mcp/&lt;slug&gt;.&lt;NAME&gt;</c>): a slug made
    /// from a title turns its dots into '-', and one a caller gives with a dot is refused, by every door alike.
    /// </summary>
    bool SlugsHaveDots => true;

    /// <summary>
    /// What a user's template that replaces the shipped one takes away (the providers its choices no longer offer),
    /// told where template problems show; null when nothing the kind knows of.
    /// </summary>
    string? LostByReplacing(TemplateDefinition replacement) => null;

    /// <summary>The kind's own rules, run after the template's on the fields the record will keep.</summary>
    /// <param name="before">The record as it is now; null for a create.</param>
    IEnumerable<FieldError> Check(CodexRecord? before, JsonObject fields) => [];

    /// <summary>
    /// The rules a caller's change meets and the feature's own writes do not (the feature writes with
    /// <c>byFeature</c>): a field the feature alone writes is refused, naming the door that writes it
    /// (<see cref="FeatureWritten"/>). Run after <see cref="Check"/> on <c>codex/update</c>, on <c>codex/create</c>
    /// (from the record the template's defaults make) and on <c>codex/undo</c> (from the record as it
    /// is to the one the undo brings back, so an undo does not take back what the feature wrote).
    /// </summary>
    /// <param name="after">The record as the change would leave it.</param>
    IEnumerable<FieldError> CheckCallerChange(TemplateDefinition template, CodexRecord before, CodexRecord after) => [];

    /// <summary>
    /// <see cref="CheckCallerChange"/> where the caller's change may wait (<c>codex/update</c>): a kind whose feature
    /// lets callers make a change through its own request after a check that waits (a chat's provider offering the
    /// model) runs that same check here, so both requests give the same verdict.
    /// </summary>
    Task<IReadOnlyList<FieldError>> CheckCallerChangeAsync(TemplateDefinition template, CodexRecord before, CodexRecord after, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FieldError>>([.. CheckCallerChange(template, before, after)]);

    /// <summary>
    /// Why the record cannot go now, whichever door removes it (<c>codex/delete</c>, the feature's own delete, an undo
    /// of its create): a chat that is answering, a task that is running. Null: it may go.
    /// </summary>
    string? CheckDelete(CodexRecord record) => null;

    /// <summary>
    /// After a create, an update or an undo that leaves the record in place is committed, before the change is told:
    /// write what the record stands for outside the store (a catalog file).
    /// </summary>
    /// <param name="before">The record before the change; null for a create.</param>
    void Saved(CodexRecord? before, CodexRecord after)
    {
    }

    /// <summary>
    /// The record as its feature shows it, live state included (a turn running, a task's cost): what the feature's own
    /// read returns, and what <c>codex/changed</c> carries with every change. Null: the record is its own view.
    /// </summary>
    RecordView? View(CodexRecord record) => null;

    /// <summary>
    /// Another process (the command line, another window) committed this change to a record of the shared store:
    /// refresh what this process keeps of it (a catalog file read again) before the change is told.
    /// </summary>
    void ChangedElsewhere(CodexChangedParams change)
    {
    }

    /// <summary>
    /// Whether the record's feature runs it in this process now (a chat answering, a task running), and so tells its
    /// live changes itself as they happen: a change to its transcript another connection committed is not told again.
    /// </summary>
    bool LiveHere(CodexRecord record) => false;

    /// <summary>After a delete is committed: put away what the record owns outside the store (its key in the vault).</summary>
    void Deleted(CodexRecord record)
    {
    }

    /// <summary>After an undo brought a deleted record back: bring back what <see cref="Deleted"/> put away.</summary>
    void Restored(CodexRecord record)
    {
    }
}
