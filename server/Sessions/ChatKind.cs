using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Sessions;

/// <summary>
/// The <c>ai-chat</c> kind: the chat's provider and model (<c>instance_ref</c>, <c>model_id</c>) are the chat's to
/// write, after checking the provider offers the model: <c>codex/update</c> moves the chat after the same checks as
/// <c>session/setModel</c>, <c>codex/create</c> and <c>codex/undo</c> refuse a caller's change to them, and
/// <see cref="SessionService"/>'s own writes pass. <c>user_message</c> is written
/// by callers: writing it sends it. A chat that is answering (here or in another window) is not deleted, by any door. The transcript stays with the
/// chat's id when the record is deleted, so an undo brings the chat back whole.
/// </summary>
/// <param name="sessions">Lazy: the sessions are built on the store this kind is part of.</param>
public sealed class ChatKind(ActiveTurns active, Lazy<SessionService> sessions, MessageStore messages, WorkspaceContext workspace) : IRecordKind
{
    /// <summary>The field whose writing sends a message (the template's <c>send_to_llm</c> hook).</summary>
    public const string UserMessage = "user_message";

    public string TemplateId => SessionService.TemplateId;

    public IEnumerable<FieldError> CheckCallerChange(TemplateDefinition template, CodexRecord before, CodexRecord after) =>
        FeatureWritten.Changed(template, before, after, name => name == UserMessage
            ? null
            : "is the chat's to write, not a caller's: session/create makes a chat on a provider and model and session/setModel moves it to another, after checking the provider offers it");

    /// <summary>A caller's change to the chat's provider or model moves it as session/setModel would, or is refused as there.</summary>
    public async Task<IReadOnlyList<FieldError>> CheckCallerChangeAsync(TemplateDefinition template, CodexRecord before, CodexRecord after, CancellationToken cancellationToken)
    {
        // The fields the chat writes besides user_message are its provider and model.
        if (!CheckCallerChange(template, before, after).Any()) return [];
        return await sessions.Value.MoveRefusalAsync(after, cancellationToken).ConfigureAwait(false) is { } refusal ? [new FieldError(SessionService.ModelField, refusal)] : [];
    }

    /// <summary>A chat answering here, or in another window whose sidecar still runs (its streaming message says whose it is).</summary>
    public string? CheckDelete(CodexRecord record) =>
        active.IsActive(record.Id) ? "The chat is answering; stop it before deleting"
        : messages.StreamingOwners(record.Id).Any(owner => owner != TranscriptOwner.Current && TranscriptOwner.IsAlive(owner, workspace.Home))
            ? "The chat is answering in another window; stop it there, or wait for its answer, before deleting"
            : null;
}
