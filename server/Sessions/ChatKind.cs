using Plue.Catalog;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Codex.Templates;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Sessions;

/// <summary>
/// The <c>ai-chat</c> kind: the chat's provider and model (<c>instance_ref</c>, <c>model_id</c>) are the chat's to
/// write, after checking the provider offers the model: <c>codex/update</c> moves the chat after the same checks as
/// <c>session/setModel</c>, <c>codex/create</c> and <c>codex/undo</c> refuse a caller's change to them, and
/// <see cref="SessionService"/>'s own writes pass. <c>user_message</c> is written
/// by callers: writing it sends it. A chat that is answering (here or in another window) is not deleted, by any door. The transcript stays with the
/// chat's id when the record is deleted, so an undo brings the chat back whole. A chat's view (<see cref="Session(CodexRecord)"/>)
/// is its record with its provider and model found, its transcript's totals and whether a turn is running.
/// </summary>
public sealed class ChatKind(ActiveTurns active, MessageStore messages, WorkspaceContext workspace, CodexService codex, InstanceService instances,
    InstanceChecks checks, CatalogStore catalog) : IRecordKind
{
    /// <summary>The field whose writing sends a message (the template's <c>send_to_llm</c> hook).</summary>
    public const string UserMessage = "user_message";

    public string TemplateId => SessionService.TemplateId;

    public IEnumerable<FieldError> CheckCallerChange(TemplateDefinition template, CodexRecord before, CodexRecord after) =>
        FeatureWritten.Changed(template, before, after, name => name == UserMessage
            ? null
            : "is the chat's to write, not a caller's: a chat starts on a provider and model, and its model picker moves it to another, after checking the provider offers it");

    /// <summary>A caller's change to the chat's provider or model moves it as session/setModel would, or is refused as there.</summary>
    public async Task<IReadOnlyList<FieldError>> CheckCallerChangeAsync(TemplateDefinition template, CodexRecord before, CodexRecord after, CancellationToken cancellationToken)
    {
        // The fields the chat writes besides user_message are its provider and model.
        if (!CheckCallerChange(template, before, after).Any()) return [];
        return await MoveRefusalAsync(after, cancellationToken).ConfigureAwait(false) is { } refusal ? [new FieldError(SessionService.ModelField, refusal)] : [];
    }

    public bool LiveHere(CodexRecord record) => active.IsActive(record.Id);

    /// <summary>A chat answering here, or in another window whose sidecar still runs (its streaming message says whose it is).</summary>
    public string? CheckDelete(CodexRecord record) =>
        active.IsActive(record.Id) ? "The chat is answering; stop it before deleting"
        : messages.StreamingOwners(record.Id).Any(owner => owner != TranscriptOwner.Current && TranscriptOwner.IsAlive(owner, workspace.Home))
            ? "The chat is answering in another window; stop it there, or wait for its answer, before deleting"
            : null;

    /// <summary>
    /// What moving a chat to a provider and model checks, whichever request moves it (session/setModel, or a caller's
    /// codex/update of the chat's provider or model through <see cref="ChatKind"/>): a model the template can hold,
    /// offered by the provider, whose context window is then learned.
    /// </summary>
    /// <param name="otherwise">What else the caller may do when the model is not offered.</param>
    internal async Task CheckModelAsync(TemplateDefinition? template, ProviderInstance instance, string? modelId, bool allowUnlisted, CancellationToken cancellationToken,
        string otherwise = "set allowUnlisted to use this id anyway")
    {
        if (string.IsNullOrWhiteSpace(modelId)) throw RpcException.InvalidParams("modelId: is required");
        if (template is not null && template.Field(SessionService.ModelField) is null && modelId != instance.DefaultModel)
            throw RpcException.InvalidParams($"This chat's template ({template.FilePath}) has no {SessionService.ModelField} field, so it talks to the provider's default model ({instance.DefaultModel ?? "none set"}); change that in the provider's settings, or add {SessionService.ModelField} to the template");
        await checks.RequireOfferedAsync(instance.Id, modelId, allowUnlisted, cancellationToken, otherwise).ConfigureAwait(false);
        await checks.LearnContextWindowAsync(instance.Id, modelId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Why session/setModel would refuse to move the chat where a caller's codex/update leaves it (<paramref name="after"/>),
    /// without the <c>modelId: </c> it names its parameter by; null: it would move it. A provider that does not exist is -33001, as there.
    /// </summary>
    public async Task<string?> MoveRefusalAsync(CodexRecord after, CancellationToken cancellationToken)
    {
        var instance = instances.Get(InstanceIdOf(FieldAliases.Read(after.Fields, SessionService.InstanceField, SessionService.Aliases)?.GetValue<string>() ?? ""));
        try
        {
            await CheckModelAsync(codex.FindTemplate(after.TemplateId), instance, ChatRecordFields.Of(after.Fields).ModelId ?? instance.DefaultModel, allowUnlisted: false,
                cancellationToken, "type the id in the chat's model picker to use it anyway").ConfigureAwait(false);
            return null;
        }
        catch (RpcException e) when (e.Code == ErrorCodes.InvalidParams)
        {
            const string Param = "modelId: ";
            return e.Message.StartsWith(Param, StringComparison.Ordinal) ? e.Message[Param.Length..] : e.Message;
        }
    }

    /// <summary>The instance id a chat's <c>instance_ref</c> names (an environment instance is its own id).</summary>
    internal string InstanceIdOf(string instanceRef) =>
        instanceRef.StartsWith(InstanceService.EnvironmentPrefix, StringComparison.Ordinal) ? instanceRef : codex.Resolve(CodexReference.Parse(instanceRef)).Id;

    /// <summary>The instance id the session's <c>instance_ref</c> names.</summary>
    public string InstanceId(CodexRecord session)
    {
        var reference = FieldAliases.Read(session.Fields, SessionService.InstanceField, SessionService.Aliases)?.GetValue<string>() ?? throw RpcException.InvalidParams("The chat has no provider instance");
        if (reference.StartsWith(InstanceService.EnvironmentPrefix, StringComparison.Ordinal)) return reference;
        return codex.Resolve(CodexReference.Parse(reference)).Id;
    }

    /// <summary>The chat's model: its own, or its instance's default when its template has no model field.</summary>
    public string? ModelId(CodexRecord session) =>
        ChatRecordFields.Of(session.Fields).ModelId ?? instances.Get(InstanceId(session)).DefaultModel;

    /// <summary>The catalog's entry for the chat's model; null when the catalog does not know it or the instance is gone.</summary>
    public CatalogModel? Model(CodexRecord record) => Where(record).Model;

    public RecordView View(CodexRecord record) => new ChatView { Session = Session(record) };

    /// <summary>The chat a record is, as <c>session/get</c> reads it: its totals from the transcript, whether a turn is running.</summary>
    public Session Session(CodexRecord record)
    {
        if (record.Unreadable is { } why) return Unreadable(record, why);
        (CostTotal Spent, int Count, long ContextTokens) totals;
        try
        {
            totals = messages.Totals(record.Id);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidCastException or Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 11 })
        {
            return Unreadable(record, "its transcript cannot be read");
        }
        var (spent, count, contextTokens) = totals;
        var (instanceId, modelId, model, window) = Where(record);
        var chat = ChatRecordFields.Of(record.Fields);
        return new Session
        {
            InstanceId = instanceId,
            ModelId = modelId,
            SystemPromptRef = chat.SystemPromptRef,
            Mode = chat.Mode,
            Status = ChatStatuses.ToWire(record.Status, active.IsActive(record.Id)),
            Usage = spent.Usage,
            CostUsd = spent.Usd,
            CostSources = spent.Sources,
            MessageCount = count,
            ContextWindow = window,
            ContextTokens = contextTokens,
            SupportsAttachments = model is null ? null : model.SupportsAttachments ?? false,
            CreatedAt = record.CreatedAt,
            UpdatedAt = record.UpdatedAt,
        }.Headed(record);
    }

    /// <summary>A chat that cannot be read, as the list shows it: its id, its title when that can be read, and why.</summary>
    private static Session Unreadable(CodexRecord record, string why) => new Session
    {
        InstanceId = "", ModelId = "", Status = ChatStatuses.IsArchived(record.Status) ? SessionStatus.Archived : SessionStatus.Idle,
        Usage = TokenUsage.Zero, MessageCount = 0, CreatedAt = record.CreatedAt, UpdatedAt = record.UpdatedAt,
        Unreadable = $"The chat {record.Id} cannot be read: {why}. Delete it, or restore plue.db from a backup (plue.db.v*.bak).",
    }.Headed(record);

    /// <summary>Lets the chat's context window be learnt from its provider's model list when nothing else says it (after a restart, say).</summary>
    public async Task LearnContextWindowAsync(CodexRecord record, CancellationToken cancellationToken)
    {
        var (instanceId, modelId, _, window) = Where(record);
        if (window is null && modelId.Length > 0) await checks.LearnContextWindowAsync(instanceId, modelId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The chat's instance id, its model (its own, or the instance's default), the model's catalog entry and its context window.</summary>
    private (string InstanceId, string ModelId, CatalogModel? Model, int? ContextWindow) Where(CodexRecord record)
    {
        var modelId = ChatRecordFields.Of(record.Fields).ModelId ?? "";
        try
        {
            var instanceId = InstanceId(record);
            var instance = instances.Get(instanceId);
            if (modelId.Length == 0) modelId = instance.DefaultModel ?? "";
            var model = catalog.Find(instance.CatalogProviderId)?.Provider.Models.FirstOrDefault(m => m.Id == modelId);
            return (instanceId, modelId, model, checks.ContextWindow(instance, modelId, model));
        }
        catch (RpcException)
        {
            // The instance was removed: the chat still opens and says so when it sends.
            return (FieldAliases.Read(record.Fields, SessionService.InstanceField, SessionService.Aliases)?.GetValue<string>() ?? "", modelId, null, null);
        }
    }
}
