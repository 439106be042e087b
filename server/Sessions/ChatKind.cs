using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Protocol;

namespace Plue.Sessions;

/// <summary>
/// The <c>ai-chat</c> kind: the chat's provider and model (<c>instance_ref</c>, <c>model_id</c>) are the chat's to
/// write, after checking the provider offers the model; <c>codex/create</c>, <c>codex/update</c> and <c>codex/undo</c>
/// refuse a caller's change to them, and <see cref="SessionService"/>'s own writes pass. <c>user_message</c> is written
/// by callers: writing it sends it. A chat that is answering is not deleted, by any door. The transcript stays with the
/// chat's id when the record is deleted, so an undo brings the chat back whole.
/// </summary>
public sealed class ChatKind(ActiveTurns active) : IRecordKind
{
    /// <summary>The field whose writing sends a message (the template's <c>send_to_llm</c> hook).</summary>
    public const string UserMessage = "user_message";

    public string TemplateId => SessionService.TemplateId;

    public IEnumerable<FieldError> CheckCallerChange(TemplateDefinition template, CodexRecord before, CodexRecord after) =>
        FeatureWritten.Changed(template, before, after, name => name == UserMessage
            ? null
            : "is the chat's to write, not a caller's: session/create makes a chat on a provider and model and session/setModel moves it to another, after checking the provider offers it");

    public string? CheckDelete(CodexRecord record) => active.IsActive(record.Id) ? "The chat is answering; stop it before deleting" : null;
}
