using System.Text.Json.Nodes;
using Plue.Catalog;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Codex.Templates;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Sessions;

/// <summary>
/// Chat sessions: <c>ai-chat</c> codices bound to an instance and a model, with their
/// transcript in <see cref="MessageStore"/>. The instance and model chosen here are the
/// ones the turn runner calls.
/// </summary>
public sealed class SessionService(CodexService codex, InstanceService instances, InstanceChecks checks, CatalogStore catalog, MessageStore messages, ActiveTurns active, ChatModes modes)
{
    public const string TemplateId = "ai-chat";
    public const string DefaultTitle = "New chat";
    private const string InstanceField = "instance_ref";
    public const string ModelField = "model_id";
    public const string ModeField = "mode";

    /// <summary>
    /// A chat template in the design notes' words names its provider <c>provider_ref</c> and has no model field:
    /// its chats talk to the provider's default model.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string?> s_aliases = new Dictionary<string, string?> { [InstanceField] = "provider_ref", [ModelField] = null };

    public async Task<Session> CreateAsync(SessionCreateParams request, CancellationToken cancellationToken)
    {
        var instance = instances.Get(request.InstanceId);
        if (!instance.Enabled) throw RpcException.InvalidParams($"Provider instance '{instance.DisplayName}' is disabled; enable it first");
        if (string.IsNullOrWhiteSpace(request.ModelId)) throw RpcException.InvalidParams("modelId: is required");
        await checks.RequireOfferedAsync(instance.Id, request.ModelId, request.AllowUnlisted == true, cancellationToken).ConfigureAwait(false);
        await checks.LearnContextWindowAsync(instance.Id, request.ModelId, cancellationToken).ConfigureAwait(false);
        var fields = new JsonObject { [InstanceField] = InstanceRef(instance), [ModelField] = request.ModelId };
        if (request.SystemPromptRef is { } promptRef) fields["system_prompt_ref"] = promptRef;
        if (request.SystemPrompt is { } prompt) fields["system_prompt_override"] = prompt;
        // A user's own ai-chat template written before modes has no mode field: its chats keep their own tools.
        if (codex.FindTemplate(TemplateId)?.Field(ModeField) is not null) fields[ModeField] = LastMode();
        var record = codex.Create(new CodexDraft
        {
            TemplateId = TemplateId,
            Title = string.IsNullOrWhiteSpace(request.Title) ? DefaultTitle : request.Title,
            Fields = codex.InTemplateNames(TemplateId, fields, s_aliases),
            Status = "idle",
        }, byFeature: true);
        return ToSession(record);
    }

    public IReadOnlyList<Session> List(bool archived)
    {
        var page = codex.List(new CodexQuery { TemplateIds = [TemplateId], Limit = 1000 });
        return [.. page.Items.Where(r => (r.Status == "archived") == archived).Select(ToSession)];
    }

    public Session Get(string id) => ToSession(Record(id));

    /// <summary>The chat changed last (archived ones aside); null when there is none.</summary>
    public CodexRecord? Latest() =>
        codex.List(new CodexQuery { TemplateIds = [TemplateId], Limit = 20 }).Items.FirstOrDefault(r => r.Status != "archived");

    public CodexRecord Record(string id)
    {
        var record = codex.Get(id);
        return codex.IsA(record, TemplateId) ? record : throw PlueErrors.NotFound($"'{id}' is not a chat session");
    }

    public Session Rename(string id, string title) => Change(id, r => new CodexChange { Id = id, Version = r.Version, Title = title });

    /// <summary>Renames the chat only while it is still called <paramref name="from"/>: a title the user gave meanwhile stays. Null when it was not renamed.</summary>
    public Session? Retitle(string id, string from, string to) =>
        Record(id).Title == from ? Change(id, r => new CodexChange { Id = id, Version = r.Version, Title = r.Title == from ? to : r.Title }) : null;

    public Session Archive(string id, bool archived) =>
        Change(id, r => new CodexChange { Id = id, Version = r.Version, Status = archived ? "archived" : "idle" });

    /// <summary>Puts the chat in a mode; one that names a provider and model moves the chat to them.</summary>
    public async Task<Session> SetModeAsync(SessionSetModeParams request, CancellationToken cancellationToken)
    {
        var template = codex.FindTemplate(Record(request.Id).TemplateId);
        if (template?.Field(ModeField) is null) throw RpcException.InvalidParams($"This chat's template ({template?.FilePath}) has no {ModeField} field; add it to the template to give the chat a mode");
        var mode = modes.Find(request.Mode) ?? throw RpcException.InvalidParams($"mode: '{request.Mode}' is not a chat mode; pick one of session/modes");
        if (mode is { InstanceRef: { } instanceRef, ModelId: { } modelId })
        {
            await SetModelAsync(new SessionSetModelParams { Id = request.Id, InstanceId = InstanceIdOf(instanceRef), ModelId = modelId }, cancellationToken).ConfigureAwait(false);
        }
        return Change(request.Id, r => new CodexChange { Id = request.Id, Version = r.Version, Fields = new JsonObject { [ModeField] = mode.Id } });
    }

    /// <summary>The mode a new chat starts in: the one the latest chat is in, else Agent.</summary>
    private string LastMode()
    {
        var latest = codex.List(new CodexQuery { TemplateIds = [TemplateId], Limit = 20 }).Items
            .Select(r => ChatRecordFields.Of(r.Fields).Mode).FirstOrDefault(m => m is not null);
        return latest is not null && modes.Find(latest) is not null ? latest : ChatModes.Agent;
    }

    public async Task<Session> SetModelAsync(SessionSetModelParams request, CancellationToken cancellationToken)
    {
        var (id, modelId) = (request.Id, request.ModelId);
        var instance = instances.Get(request.InstanceId);
        await CheckModelAsync(codex.FindTemplate(Record(id).TemplateId), instance, modelId, request.AllowUnlisted == true, cancellationToken).ConfigureAwait(false);
        return Change(id, r => new CodexChange { Id = id, Version = r.Version, Fields = codex.InTemplateNames(r.TemplateId, new() { [InstanceField] = InstanceRef(instance), [ModelField] = modelId }, s_aliases) });
    }

    /// <summary>
    /// What moving a chat to a provider and model checks, whichever request moves it (session/setModel, or a caller's
    /// codex/update of the chat's provider or model through <see cref="ChatKind"/>): a model the template can hold,
    /// offered by the provider, whose context window is then learned.
    /// </summary>
    /// <param name="otherwise">What else the caller may do when the model is not offered.</param>
    private async Task CheckModelAsync(TemplateDefinition? template, ProviderInstance instance, string? modelId, bool allowUnlisted, CancellationToken cancellationToken,
        string otherwise = "set allowUnlisted to use this id anyway")
    {
        if (string.IsNullOrWhiteSpace(modelId)) throw RpcException.InvalidParams("modelId: is required");
        if (template is not null && template.Field(ModelField) is null && modelId != instance.DefaultModel)
            throw RpcException.InvalidParams($"This chat's template ({template.FilePath}) has no {ModelField} field, so it talks to the provider's default model ({instance.DefaultModel ?? "none set"}); change that in the provider's settings, or add {ModelField} to the template");
        await checks.RequireOfferedAsync(instance.Id, modelId, allowUnlisted, cancellationToken, otherwise).ConfigureAwait(false);
        await checks.LearnContextWindowAsync(instance.Id, modelId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Why session/setModel would refuse to move the chat where a caller's codex/update leaves it (<paramref name="after"/>),
    /// without the <c>modelId: </c> it names its parameter by; null: it would move it. A provider that does not exist is -33001, as there.
    /// </summary>
    public async Task<string?> MoveRefusalAsync(CodexRecord after, CancellationToken cancellationToken)
    {
        var instance = instances.Get(InstanceIdOf(FieldAliases.Read(after.Fields, InstanceField, s_aliases)?.GetValue<string>() ?? ""));
        try
        {
            await CheckModelAsync(codex.FindTemplate(after.TemplateId), instance, ChatRecordFields.Of(after.Fields).ModelId ?? instance.DefaultModel, allowUnlisted: false,
                cancellationToken, "move the chat with session/setModel and allowUnlisted to use this id anyway").ConfigureAwait(false);
            return null;
        }
        catch (RpcException e) when (e.Code == ErrorCodes.InvalidParams)
        {
            const string Param = "modelId: ";
            return e.Message.StartsWith(Param, StringComparison.Ordinal) ? e.Message[Param.Length..] : e.Message;
        }
    }

    /// <summary>The instance id a chat's <c>instance_ref</c> names (an environment instance is its own id).</summary>
    private string InstanceIdOf(string instanceRef) =>
        instanceRef.StartsWith(InstanceService.EnvironmentPrefix, StringComparison.Ordinal) ? instanceRef : codex.Resolve(CodexReference.Parse(instanceRef)).Id;

    public void Delete(string id)
    {
        Record(id);
        codex.Delete(id); // the kind refuses a chat that is answering; undoable with codex/undo, the transcript stays with the id
    }

    /// <summary>A new session holding this one's transcript up to and including <paramref name="messageId"/>.</summary>
    public Session Fork(string sessionId, string messageId)
    {
        var source = Record(sessionId);
        var message = messages.Message(messageId);
        if (message is null || message.SessionId != sessionId) throw PlueErrors.NotFound($"Message '{messageId}' is not in this chat");
        var fork = codex.Create(new CodexDraft
        {
            TemplateId = source.TemplateId,
            Title = $"{source.Title} (fork)",
            Fields = source.Fields.DeepClone().AsObject(),
            Tags = source.Tags,
            ParentId = source.Id,
            Status = "idle",
        }, byFeature: true);
        messages.CopyMessages(sessionId, fork.Id, message.Seq);
        return ToSession(fork);
    }

    /// <summary>The instance id the session's <c>instance_ref</c> names.</summary>
    public string InstanceId(CodexRecord session)
    {
        var reference = FieldAliases.Read(session.Fields, InstanceField, s_aliases)?.GetValue<string>() ?? throw RpcException.InvalidParams("The chat has no provider instance");
        if (reference.StartsWith(InstanceService.EnvironmentPrefix, StringComparison.Ordinal)) return reference;
        return codex.Resolve(CodexReference.Parse(reference)).Id;
    }

    /// <summary>The chat's model: its own, or its instance's default when its template has no model field.</summary>
    public string? ModelId(CodexRecord session) =>
        ChatRecordFields.Of(session.Fields).ModelId ?? instances.Get(InstanceId(session)).DefaultModel;

    /// <summary>The catalog's entry for the chat's model; null when the catalog does not know it or the instance is gone.</summary>
    public CatalogModel? Model(CodexRecord record) => Where(record).Model;

    public Session ToSession(CodexRecord record)
    {
        var (spent, count, contextTokens) = messages.Totals(record.Id);
        var (instanceId, modelId, model, window) = Where(record);
        var chat = ChatRecordFields.Of(record.Fields);
        return new Session
        {
            Id = record.Id,
            Slug = record.Slug,
            Ref = record.Ref,
            Version = record.Version,
            Title = record.Title,
            InstanceId = instanceId,
            ModelId = modelId,
            SystemPromptRef = chat.SystemPromptRef,
            Mode = chat.Mode,
            Status = record.Status == "archived" ? SessionStatus.Archived : active.IsActive(record.Id) ? SessionStatus.Active : SessionStatus.Idle,
            Usage = spent.Usage,
            CostUsd = spent.Usd,
            CostSources = spent.Sources,
            MessageCount = count,
            ContextWindow = window,
            ContextTokens = contextTokens,
            SupportsAttachments = model is null ? null : model.SupportsAttachments ?? false,
            CreatedAt = record.CreatedAt,
            UpdatedAt = record.UpdatedAt,
        };
    }

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
            return (FieldAliases.Read(record.Fields, InstanceField, s_aliases)?.GetValue<string>() ?? "", modelId, null, null);
        }
    }

    private Session Change(string id, Func<CodexRecord, CodexChange> change)
    {
        // A turn may have touched the record meanwhile: retry once on a version race.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return ToSession(codex.Update(change(Record(id)), byFeature: true));
            }
            catch (RpcException e) when (e.Code == PlueErrorCodes.Conflict && attempt == 0)
            {
            }
        }
    }

    private static string InstanceRef(ProviderInstance instance) => instance.FromEnvironment ? instance.Id : instance.Ref!;
}
