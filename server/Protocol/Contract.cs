using Plue.Catalog;
using Plue.Codex.Prompts;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Instances;
using Plue.Rpc;

namespace Plue.Protocol;

/// <summary>
/// The sidecar's RPC surface, <c>area/verb</c>, in one table: each method's name, direction and wire types.
/// Features register their handlers against these, and extension/src/shared/protocol.ts and docs/PROTOCOL.md
/// are generated from it (tools/Plue.Contract); CI fails when the checked-in output is stale.
/// </summary>
public static class Contract
{
    private static PlueJsonContext Json => PlueJsonContext.Default;

    /// <summary>The LSP handshake: the client's options in, the server's info and capabilities out.</summary>
    public static readonly RequestType<InitializeParams, InitializeResult> Initialize =
        new(RpcMethods.Initialize, () => Json.InitializeParams, () => Json.InitializeResult);

    /// <summary>Version, pid, home and uptime of the running sidecar.</summary>
    public static readonly RequestType<EmptyParams, StatusResult> Status =
        new("plue/status", () => Json.EmptyParams, () => Json.StatusResult);

    /// <summary>Liveness and latency probe; see <see cref="PingParams"/>.</summary>
    public static readonly RequestType<PingParams, PingResult> Ping =
        new("plue/ping", () => Json.PingParams, () => Json.PingResult);

    /// <summary>Notification sent by <see cref="Ping"/> when asked for notifications.</summary>
    public static readonly NotificationType<PongParams> Pong =
        new("plue/pong", () => Json.PongParams);

    /// <summary>Every template file, usable or not, with its problems.</summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<TemplateSummary>> TemplatesList =
        new("templates/list", () => Json.EmptyParams, () => Json.IReadOnlyListTemplateSummary);

    /// <summary>One template with inheritance applied.</summary>
    public static readonly RequestType<IdParams, TemplateDetail> TemplatesGet =
        new("templates/get", () => Json.IdParams, () => Json.TemplateDetail);

    /// <summary>Notification: template files changed and were reloaded.</summary>
    public static readonly NotificationType<TemplatesChangedParams> TemplatesChanged =
        new("templates/changed", () => Json.TemplatesChangedParams);

    /// <summary>A new record, validated by its template; an invalid field fails with -32602 and <c>data.fields</c> (<c>{field: message}</c>).</summary>
    public static readonly RequestType<CodexDraft, CodexRecord> CodexCreate =
        new("codex/create", () => Json.CodexDraft, () => Json.CodexRecord);

    /// <summary>One record.</summary>
    public static readonly RequestType<IdParams, CodexRecord> CodexGet =
        new("codex/get", () => Json.IdParams, () => Json.CodexRecord);

    /// <summary>Changes a record at the version the caller read; a stale <c>version</c> fails with a conflict (-33002).</summary>
    public static readonly RequestType<CodexChange, CodexRecord> CodexUpdate =
        new("codex/update", () => Json.CodexChange, () => Json.CodexRecord);

    /// <summary>Removes a record (undoable with <see cref="CodexUndo"/>).</summary>
    public static readonly RequestType<IdParams, DeletedResult> CodexDelete =
        new("codex/delete", () => Json.IdParams, () => Json.DeletedResult);

    /// <summary>Records, filtered and sorted, a page at a time (<c>nextCursor</c>).</summary>
    public static readonly RequestType<CodexListParams, CodexListResult> CodexList =
        new("codex/list", () => Json.CodexListParams, () => Json.CodexListResult);

    /// <summary>A record's changes, newest first, with what it was before and after each.</summary>
    public static readonly RequestType<IdParams, IReadOnlyList<HistoryEntry>> CodexHistory =
        new("codex/history", () => Json.IdParams, () => Json.IReadOnlyListHistoryEntry);

    /// <summary>Undoes a record's latest change not undone yet.</summary>
    public static readonly RequestType<IdParams, UndoResult> CodexUndo =
        new("codex/undo", () => Json.IdParams, () => Json.UndoResult);

    /// <summary>The record or prompt a codex:// reference names.</summary>
    public static readonly RequestType<RefParams, ResolveResult> CodexResolve =
        new("codex/resolve", () => Json.RefParams, () => Json.ResolveResult);

    /// <summary>The system prompts, one per name: a workspace file wins over a home file, which wins over a shipped one.</summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<PromptInfo>> PromptsList =
        new("prompts/list", () => Json.EmptyParams, () => Json.IReadOnlyListPromptInfo);

    /// <summary>One prompt with its text.</summary>
    public static readonly RequestType<RefParams, Prompt> PromptsGet =
        new("prompts/get", () => Json.RefParams, () => Json.Prompt);

    /// <summary>Every catalog provider: <c>[{id, name, type, defaultEndpoint, modelCount, source, supported}]</c>.</summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<CatalogProviderSummary>> CatalogList =
        new("catalog/list", () => Json.EmptyParams, () => Json.IReadOnlyListCatalogProviderSummary);

    /// <summary>One provider's models with prices; see <see cref="CatalogModelsParams"/>.</summary>
    public static readonly RequestType<CatalogModelsParams, IReadOnlyList<CatalogModel>> CatalogModels =
        new("catalog/models", () => Json.CatalogModelsParams, () => Json.IReadOnlyListCatalogModel);

    /// <summary>Adds a custom provider (a user file in $PLUE_HOME/catalog).</summary>
    public static readonly RequestType<CatalogProvider, CatalogProviderSummary> CatalogCreate =
        new("catalog/create", () => Json.CatalogProvider, () => Json.CatalogProviderSummary);

    /// <summary>Replaces a user provider or overrides a shipped one.</summary>
    public static readonly RequestType<CatalogProvider, CatalogProviderSummary> CatalogUpdate =
        new("catalog/update", () => Json.CatalogProvider, () => Json.CatalogProviderSummary);

    /// <summary>Deletes a user provider or override; see <see cref="DeleteCatalogParams"/>.</summary>
    public static readonly RequestType<DeleteCatalogParams, DeleteCatalogResult> CatalogDelete =
        new("catalog/delete", () => Json.DeleteCatalogParams, () => Json.DeleteCatalogResult);

    /// <summary>Starting points for <see cref="CatalogCreate"/>.</summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<CatalogTemplate>> CatalogTemplates =
        new("catalog/templates", () => Json.EmptyParams, () => Json.IReadOnlyListCatalogTemplate);

    /// <summary>Stores a secret under a vault:// reference: <c>{ref, value}</c> → <c>{ref}</c>. No method returns a value.</summary>
    public static readonly RequestType<VaultStoreParams, VaultStoreResult> VaultStore =
        new("vault/store", () => Json.VaultStoreParams, () => Json.VaultStoreResult);

    /// <summary><c>{ref}</c> → <c>{deleted}</c>.</summary>
    public static readonly RequestType<RefParams, DeletedResult> VaultDelete =
        new("vault/delete", () => Json.RefParams, () => Json.DeletedResult);

    /// <summary><c>{ref}</c> → <c>{exists}</c>.</summary>
    public static readonly RequestType<RefParams, VaultHasResult> VaultHas =
        new("vault/has", () => Json.RefParams, () => Json.VaultHasResult);

    /// <summary>→ the stored references, never their values.</summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<string>> VaultList =
        new("vault/list", () => Json.EmptyParams, () => Json.IReadOnlyListString);

    /// <summary><c>{newKey}</c> → <c>{count}</c>: re-encrypts the vault with a key the client made.</summary>
    public static readonly RequestType<VaultRotateParams, VaultRotateResult> VaultRotate =
        new("vault/rotate", () => Json.VaultRotateParams, () => Json.VaultRotateResult);

    /// <summary>Creates a provider instance (an llm-provider codex); an apiKey given goes to the vault.</summary>
    public static readonly RequestType<CreateInstanceParams, ProviderInstance> InstancesCreate =
        new("instances/create", () => Json.CreateInstanceParams, () => Json.ProviderInstance);

    /// <summary>Configured instances, then the ones offered by API keys in the environment.</summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<ProviderInstance>> InstancesList =
        new("instances/list", () => Json.EmptyParams, () => Json.IReadOnlyListProviderInstance);

    /// <summary>One instance.</summary>
    public static readonly RequestType<IdParams, ProviderInstance> InstancesGet =
        new("instances/get", () => Json.IdParams, () => Json.ProviderInstance);

    /// <summary>Optimistic concurrency on <c>version</c>, as codex/update.</summary>
    public static readonly RequestType<UpdateInstanceParams, ProviderInstance> InstancesUpdate =
        new("instances/update", () => Json.UpdateInstanceParams, () => Json.ProviderInstance);

    /// <summary>Deletes an instance and the vault entry it owns.</summary>
    public static readonly RequestType<IdParams, DeletedResult> InstancesDelete =
        new("instances/delete", () => Json.IdParams, () => Json.DeletedResult);

    /// <summary>Turns an instance on or off.</summary>
    public static readonly RequestType<SetInstanceEnabledParams, ProviderInstance> InstancesSetEnabled =
        new("instances/setEnabled", () => Json.SetInstanceEnabledParams, () => Json.ProviderInstance);

    /// <summary><c>{ok, latencyMs, modelCount?, error?}</c>; says honestly what is missing.</summary>
    public static readonly RequestType<IdParams, InstanceTestResult> InstancesTest =
        new("instances/test", () => Json.IdParams, () => Json.InstanceTestResult);

    /// <summary>The catalog's models for the instance, after its model filter.</summary>
    public static readonly RequestType<IdParams, IReadOnlyList<CatalogModel>> InstancesModels =
        new("instances/models", () => Json.IdParams, () => Json.IReadOnlyListCatalogModel);

    /// <summary>A new, empty chat session.</summary>
    public static readonly RequestType<SessionCreateParams, Session> SessionCreate =
        new("session/create", () => Json.SessionCreateParams, () => Json.Session);

    /// <summary>The chat sessions: the archived ones when <c>archived</c> is true, else the others.</summary>
    public static readonly RequestType<SessionListParams, IReadOnlyList<Session>> SessionList =
        new("session/list", () => Json.SessionListParams, () => Json.IReadOnlyListSession);

    /// <summary>One session.</summary>
    public static readonly RequestType<IdParams, Session> SessionGet =
        new("session/get", () => Json.IdParams, () => Json.Session);

    /// <summary>A session's messages, oldest first, or one page of them.</summary>
    public static readonly RequestType<SessionMessagesParams, SessionMessagesResult> SessionMessages =
        new("session/messages", () => Json.SessionMessagesParams, () => Json.SessionMessagesResult);

    /// <summary>Sets a session's title.</summary>
    public static readonly RequestType<SessionRenameParams, Session> SessionRename =
        new("session/rename", () => Json.SessionRenameParams, () => Json.Session);

    /// <summary>Archives a session (or restores it, with <c>archived</c> false).</summary>
    public static readonly RequestType<SessionArchiveParams, Session> SessionArchive =
        new("session/archive", () => Json.SessionArchiveParams, () => Json.Session);

    /// <summary>Deletes a session and its messages.</summary>
    public static readonly RequestType<IdParams, DeletedResult> SessionDelete =
        new("session/delete", () => Json.IdParams, () => Json.DeletedResult);

    /// <summary>Switches the instance and model for the next replies.</summary>
    public static readonly RequestType<SessionSetModelParams, Session> SessionSetModel =
        new("session/setModel", () => Json.SessionSetModelParams, () => Json.Session);

    /// <summary>Adds a user message and generates the reply, streamed as <see cref="SessionPartDelta"/> and <see cref="SessionMessageUpdated"/>; answers with the finished assistant message.</summary>
    public static readonly RequestType<SessionSendParams, SessionMessage> SessionSend =
        new("session/send", () => Json.SessionSendParams, () => Json.SessionMessage);

    /// <summary>Stops the reply being generated.</summary>
    public static readonly RequestType<SessionIdParams, CancelledResult> SessionCancel =
        new("session/cancel", () => Json.SessionIdParams, () => Json.CancelledResult);

    /// <summary>Replaces the last assistant message with a new reply.</summary>
    public static readonly RequestType<SessionIdParams, SessionMessage> SessionRegenerate =
        new("session/regenerate", () => Json.SessionIdParams, () => Json.SessionMessage);

    /// <summary>Replaces a user message and everything after it, then generates a new reply.</summary>
    public static readonly RequestType<SessionEditParams, SessionMessage> SessionEditAndResend =
        new("session/editAndResend", () => Json.SessionEditParams, () => Json.SessionMessage);

    /// <summary>A new session holding the messages up to <c>messageId</c>.</summary>
    public static readonly RequestType<SessionForkParams, Session> SessionFork =
        new("session/fork", () => Json.SessionForkParams, () => Json.Session);

    /// <summary>Notification: append a delta to a part.</summary>
    public static readonly NotificationType<PartDeltaParams> SessionPartDelta =
        new("session/partDelta", () => Json.PartDeltaParams);

    /// <summary>Notification: a whole message, replacing the client's copy.</summary>
    public static readonly NotificationType<MessageUpdatedParams> SessionMessageUpdated =
        new("session/messageUpdated", () => Json.MessageUpdatedParams);

    /// <summary>Notification: a session's status, usage or cost changed.</summary>
    public static readonly NotificationType<SessionUpdatedParams> SessionUpdated =
        new("session/updated", () => Json.SessionUpdatedParams);

    /// <summary>Is the Claude Code CLI installed and logged in? See <see cref="ClaudeCodeAuthResult"/>.</summary>
    public static readonly RequestType<ClaudeCodeAuthParams, ClaudeCodeAuthResult> AuthClaudeCode =
        new("auth/claudeCode", () => Json.ClaudeCodeAuthParams, () => Json.ClaudeCodeAuthResult);

    /// <summary><see cref="TaskStartParams"/> → the task, queued; it runs in the background.</summary>
    public static readonly RequestType<TaskStartParams, AgentTask> TaskStart =
        new("task/start", () => Json.TaskStartParams, () => Json.AgentTask);

    /// <summary>Tasks: every one, or the children of <c>parentId</c>.</summary>
    public static readonly RequestType<TaskListParams, IReadOnlyList<AgentTask>> TaskList =
        new("task/list", () => Json.TaskListParams, () => Json.IReadOnlyListAgentTask);

    /// <summary>One task.</summary>
    public static readonly RequestType<TaskIdParams, AgentTask> TaskGet =
        new("task/get", () => Json.TaskIdParams, () => Json.AgentTask);

    /// <summary>The task's transcript, like <c>session/messages</c>; live deltas come as <c>session/partDelta</c> with the task id as sessionId.</summary>
    public static readonly RequestType<SessionMessagesParams, SessionMessagesResult> TaskMessages =
        new("task/messages", () => Json.SessionMessagesParams, () => Json.SessionMessagesResult);

    /// <summary>Stops the task and its whole subtree at once; partial transcripts are kept.</summary>
    public static readonly RequestType<TaskIdParams, AgentTask> TaskInterrupt =
        new("task/interrupt", () => Json.TaskIdParams, () => Json.AgentTask);

    /// <summary>Adds a user message to a running task; the model reads it on its next turn.</summary>
    public static readonly RequestType<TaskSteerParams, AgentTask> TaskSteer =
        new("task/steer", () => Json.TaskSteerParams, () => Json.AgentTask);

    /// <summary>Continues a cancelled, paused or failed task; a paused one may get a higher spend cap.</summary>
    public static readonly RequestType<TaskResumeParams, AgentTask> TaskResume =
        new("task/resume", () => Json.TaskResumeParams, () => Json.AgentTask);

    /// <summary>Notification: a task's status, usage, cost or approval changed.</summary>
    public static readonly NotificationType<TaskUpdatedParams> TaskUpdated =
        new("task/updated", () => Json.TaskUpdatedParams);

    /// <summary>Sidecar → client: asks the user to approve a tool use; see <see cref="PermissionRequestParams"/>.</summary>
    public static readonly RequestType<PermissionRequestParams, PermissionRequestResult> PermissionRequest =
        new("permission/request", () => Json.PermissionRequestParams, () => Json.PermissionRequestResult, Direction.SidecarToClient);

    /// <summary>Every allow-always the user gave, per workspace (persisted) and per running task; see <see cref="PermissionsListResult"/>.</summary>
    public static readonly RequestType<EmptyParams, PermissionsListResult> PermissionsList =
        new("permissions/list", () => Json.EmptyParams, () => Json.PermissionsListResult);

    /// <summary>Forgets allow-always answers; see <see cref="PermissionsResetParams"/>.</summary>
    public static readonly RequestType<PermissionsResetParams, PermissionsResetResult> PermissionsReset =
        new("permissions/reset", () => Json.PermissionsResetParams, () => Json.PermissionsResetResult);

    /// <summary><c>{id}</c> of an mcp-server record → its tools (<see cref="McpToolsResult"/>), from a fresh start of the server as configured.</summary>
    public static readonly RequestType<IdParams, McpToolsResult> McpTools =
        new("mcp/tools", () => Json.IdParams, () => Json.McpToolsResult);
}
