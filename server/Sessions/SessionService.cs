using System.Diagnostics;
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
public sealed class SessionService(CodexService codex, InstanceService instances, InstanceChecks checks, MessageStore messages, ChatKind kind, ChatModes modes)
{
    public const string TemplateId = "ai-chat";
    public const string DefaultTitle = "New chat";
    internal const string InstanceField = "instance_ref";
    public const string ModelField = "model_id";
    public const string ModeField = "mode";

    /// <summary>
    /// A chat template in the design notes' words names its provider <c>provider_ref</c> and has no model field:
    /// its chats talk to the provider's default model.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string?> Aliases = new Dictionary<string, string?> { [InstanceField] = "provider_ref", [ModelField] = null };

    // A new chat's steps, seen by the start-up under PLUE_TIMINGS (nothing is made otherwise).
    private static readonly ActivitySource s_steps = new("Plue.Steps");

    public async Task<Session> CreateAsync(SessionCreateParams request, CancellationToken cancellationToken)
    {
        s_steps.StartActivity("session/create: started")?.Dispose();
        var instance = instances.Get(request.InstanceId);
        s_steps.StartActivity("session/create: instance read")?.Dispose();
        if (!instance.Enabled) throw RpcException.InvalidParams($"Provider instance '{instance.DisplayName}' is disabled; enable it first");
        if (string.IsNullOrWhiteSpace(request.ModelId)) throw RpcException.InvalidParams("modelId: is required");
        await checks.RequireOfferedAsync(instance.Id, request.ModelId, request.AllowUnlisted == true, cancellationToken).ConfigureAwait(false);
        await checks.LearnContextWindowAsync(instance.Id, request.ModelId, cancellationToken).ConfigureAwait(false);
        s_steps.StartActivity("session/create: model checked")?.Dispose();
        var fields = new JsonObject { [InstanceField] = InstanceRef(instance), [ModelField] = request.ModelId };
        if (request.SystemPromptRef is { } promptRef) fields["system_prompt_ref"] = promptRef;
        if (request.SystemPrompt is { } prompt) fields["system_prompt_override"] = prompt;
        // A user's own ai-chat template written before modes has no mode field: its chats keep their own tools.
        if (codex.FindTemplate(TemplateId)?.Field(ModeField) is not null) fields[ModeField] = LastMode();
        var record = codex.Create(new CodexDraft
        {
            TemplateId = TemplateId,
            Title = string.IsNullOrWhiteSpace(request.Title) ? DefaultTitle : request.Title,
            Fields = codex.InTemplateNames(TemplateId, fields, Aliases),
            Status = ChatStatuses.Idle,
        }, byFeature: true);
        s_steps.StartActivity("session/create: record written")?.Dispose();
        return kind.Session(record);
    }

    /// <summary>The open chats or the archived ones, newest first: every one, or a page of <paramref name="limit"/> after the chat <paramref name="after"/>.</summary>
    public IReadOnlyList<Session> List(bool archived, int? limit = null, string? after = null)
    {
        var query = new CodexQuery
        {
            TemplateIds = [TemplateId], Status = archived ? ChatStatuses.Archived : null, NotStatus = archived ? null : ChatStatuses.Archived,
            Limit = CodexPaging.Limit(limit), AfterId = after, Sort = CodexSort.IdDesc,
        };
        // Pages walk by id (creation order), which no change moves: a walk reaches every chat there was when it began.
        // The whole list is then told last changed first.
        var records = CodexPaging.Read(codex.List, query, limit is null);
        return limit is null ? [.. records.OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(ToSession)] : [.. records.Select(ToSession)];
    }

    public Session Get(string id) => kind.Session(Record(id));

    /// <summary>The chat changed last (archived ones aside); null when there is none.</summary>
    public CodexRecord? Latest() =>
        codex.List(new CodexQuery { TemplateIds = [TemplateId], Limit = 20 }).Items.FirstOrDefault(r => !ChatStatuses.IsArchived(r.Status));

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
        Change(id, r => new CodexChange { Id = id, Version = r.Version, Status = archived ? ChatStatuses.Archived : ChatStatuses.Idle });

    /// <summary>Puts the chat in a mode; one that names a provider and model moves the chat to them.</summary>
    public async Task<Session> SetModeAsync(SessionSetModeParams request, CancellationToken cancellationToken)
    {
        var template = codex.FindTemplate(Record(request.Id).TemplateId);
        if (template?.Field(ModeField) is null) throw RpcException.InvalidParams($"This chat's template ({template?.FilePath}) has no {ModeField} field; add it to the template to give the chat a mode");
        var mode = modes.Find(request.Mode) ?? throw RpcException.InvalidParams($"mode: '{request.Mode}' is not a chat mode; pick one the chat's mode picker offers");
        if (mode is { InstanceRef: { } instanceRef, ModelId: { } modelId })
        {
            await SetModelAsync(new SessionSetModelParams { Id = request.Id, InstanceId = kind.InstanceIdOf(instanceRef), ModelId = modelId }, cancellationToken).ConfigureAwait(false);
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
        await kind.CheckModelAsync(codex.FindTemplate(Record(id).TemplateId), instance, modelId, request.AllowUnlisted == true, cancellationToken).ConfigureAwait(false);
        return Change(id, r => new CodexChange { Id = id, Version = r.Version, Fields = codex.InTemplateNames(r.TemplateId, new() { [InstanceField] = InstanceRef(instance), [ModelField] = modelId }, Aliases) });
    }

    /// <summary>The instance id the session's <c>instance_ref</c> names.</summary>
    public string InstanceId(CodexRecord session) => kind.InstanceId(session);

    /// <summary>The chat's model: its own, or its instance's default when its template has no model field.</summary>
    public string? ModelId(CodexRecord session) => kind.ModelId(session);

    /// <summary>The catalog's entry for the chat's model; null when the catalog does not know it or the instance is gone.</summary>
    public CatalogModel? Model(CodexRecord record) => kind.Model(record);

    /// <inheritdoc cref="ChatKind.LearnContextWindowAsync"/>
    public Task LearnContextWindowAsync(CodexRecord record, CancellationToken cancellationToken) => kind.LearnContextWindowAsync(record, cancellationToken);

    /// <inheritdoc cref="ChatKind.Session"/>
    public Session ToSession(CodexRecord record) => kind.Session(record);

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
            Status = ChatStatuses.Idle,
        }, byFeature: true);
        messages.CopyMessages(sessionId, fork.Id, message.Seq);
        return kind.Session(fork);
    }

    private Session Change(string id, Func<CodexRecord, CodexChange> change)
    {
        // A turn may have touched the record meanwhile: retry once on a version race.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return kind.Session(codex.Update(change(Record(id)), byFeature: true));
            }
            catch (RpcException e) when (e.Code == PlueErrorCodes.Conflict && attempt == 0)
            {
            }
        }
    }

    private static string InstanceRef(ProviderInstance instance) => instance.FromEnvironment ? instance.Id : instance.Ref!;
}
