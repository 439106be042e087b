namespace Plue.Protocol;

/// <summary>
/// Every method of the sidecar's RPC surface, <c>area/verb</c>, in one place.
/// Mirrored by extension/src/protocol.ts; the names are fixed (see PROTOCOL.md).
/// </summary>
public static class Methods
{
    /// <summary>Version, pid, home and uptime of the running sidecar.</summary>
    public const string Status = "plue/status";

    /// <summary>Liveness and latency probe; see <see cref="PingParams"/>.</summary>
    public const string Ping = "plue/ping";

    /// <summary>Notification sent by <see cref="Ping"/> when asked for notifications.</summary>
    public const string Pong = "plue/pong";

    /// <summary>Every template file, usable or not, with its problems.</summary>
    public const string TemplatesList = "templates/list";
    /// <summary>One template with inheritance applied.</summary>
    public const string TemplatesGet = "templates/get";
    /// <summary>Notification: template files changed and were reloaded.</summary>
    public const string TemplatesChanged = "templates/changed";

    public const string CodexCreate = "codex/create";
    public const string CodexGet = "codex/get";
    public const string CodexUpdate = "codex/update";
    public const string CodexDelete = "codex/delete";
    public const string CodexList = "codex/list";
    public const string CodexHistory = "codex/history";
    public const string CodexUndo = "codex/undo";
    /// <summary>The record or prompt a codex:// reference names.</summary>
    public const string CodexResolve = "codex/resolve";

    public const string PromptsList = "prompts/list";
    public const string PromptsGet = "prompts/get";

    /// <summary>Every catalog provider: <c>[{id, name, type, defaultEndpoint, modelCount, source, supported}]</c>.</summary>
    public const string CatalogList = "catalog/list";

    /// <summary>One provider's models with prices; see <see cref="CatalogModelsParams"/>.</summary>
    public const string CatalogModels = "catalog/models";

    /// <summary>Adds a custom provider (a user file in $PLUE_HOME/catalog).</summary>
    public const string CatalogCreate = "catalog/create";

    /// <summary>Replaces a user provider or overrides a shipped one.</summary>
    public const string CatalogUpdate = "catalog/update";

    /// <summary>Deletes a user provider or override; see <see cref="DeleteCatalogParams"/>.</summary>
    public const string CatalogDelete = "catalog/delete";

    /// <summary>Starting points for <see cref="CatalogCreate"/>.</summary>
    public const string CatalogTemplates = "catalog/templates";

    /// <summary>Stores a secret under a vault:// reference: <c>{ref, value}</c> → <c>{ref}</c>. No method returns a value.</summary>
    public const string VaultStore = "vault/store";
    /// <summary><c>{ref}</c> → <c>{deleted}</c>.</summary>
    public const string VaultDelete = "vault/delete";
    /// <summary><c>{ref}</c> → <c>{exists}</c>.</summary>
    public const string VaultHas = "vault/has";
    /// <summary>→ the stored references, never their values.</summary>
    public const string VaultList = "vault/list";
    /// <summary><c>{newKey}</c> → <c>{count}</c>: re-encrypts the vault with a key the client made.</summary>
    public const string VaultRotate = "vault/rotate";

    /// <summary>Creates a provider instance (an llm-provider codex); an apiKey given goes to the vault.</summary>
    public const string InstancesCreate = "instances/create";
    /// <summary>Configured instances, then the ones offered by API keys in the environment.</summary>
    public const string InstancesList = "instances/list";
    public const string InstancesGet = "instances/get";
    /// <summary>Optimistic concurrency on <c>version</c>, as codex/update.</summary>
    public const string InstancesUpdate = "instances/update";
    /// <summary>Deletes an instance and the vault entry it owns.</summary>
    public const string InstancesDelete = "instances/delete";
    public const string InstancesSetEnabled = "instances/setEnabled";
    /// <summary><c>{ok, latencyMs, modelCount?, error?}</c>; says honestly what is missing.</summary>
    public const string InstancesTest = "instances/test";
    /// <summary>The catalog's models for the instance, after its model filter.</summary>
    public const string InstancesModels = "instances/models";

    // Chat (PROTOCOL.md, "Chat")
    public const string SessionCreate = "session/create";
    public const string SessionList = "session/list";
    public const string SessionGet = "session/get";
    public const string SessionMessages = "session/messages";
    public const string SessionRename = "session/rename";
    public const string SessionArchive = "session/archive";
    public const string SessionDelete = "session/delete";
    public const string SessionSetModel = "session/setModel";
    public const string SessionSend = "session/send";
    public const string SessionCancel = "session/cancel";
    public const string SessionRegenerate = "session/regenerate";
    public const string SessionEditAndResend = "session/editAndResend";
    public const string SessionFork = "session/fork";
    /// <summary>Notification: append a delta to a part.</summary>
    public const string SessionPartDelta = "session/partDelta";
    /// <summary>Notification: a whole message, replacing the client's copy.</summary>
    public const string SessionMessageUpdated = "session/messageUpdated";
    /// <summary>Notification: a session's status, usage or cost changed.</summary>
    public const string SessionUpdated = "session/updated";
    /// <summary>Is the Claude Code CLI installed and logged in? See <see cref="ClaudeCodeAuthResult"/>.</summary>
    public const string AuthClaudeCode = "auth/claudeCode";

    // Agents (PROTOCOL.md, "Agents")
    /// <summary><see cref="TaskStartParams"/> → the task, queued; it runs in the background.</summary>
    public const string TaskStart = "task/start";
    public const string TaskList = "task/list";
    public const string TaskGet = "task/get";
    /// <summary>The task's transcript, like <c>session/messages</c>; live deltas come as <c>session/partDelta</c> with the task id as sessionId.</summary>
    public const string TaskMessages = "task/messages";
    /// <summary>Stops the task and its whole subtree at once; partial transcripts are kept.</summary>
    public const string TaskInterrupt = "task/interrupt";
    /// <summary>Adds a user message to a running task; the model reads it on its next turn.</summary>
    public const string TaskSteer = "task/steer";
    /// <summary>Continues a cancelled, paused or failed task; a paused one may get a higher spend cap.</summary>
    public const string TaskResume = "task/resume";
    /// <summary>Notification: a task's status, usage, cost or approval changed.</summary>
    public const string TaskUpdated = "task/updated";

    /// <summary>Sidecar → client: asks the user to approve a tool use; see <see cref="PermissionRequestParams"/>.</summary>
    public const string PermissionRequest = "permission/request";
    /// <summary>Every allow-always the user gave, per workspace (persisted) and per running task; see <see cref="PermissionsListResult"/>.</summary>
    public const string PermissionsList = "permissions/list";
    /// <summary>Forgets allow-always answers; see <see cref="PermissionsResetParams"/>.</summary>
    public const string PermissionsReset = "permissions/reset";

    /// <summary><c>{id}</c> of an mcp-server record → its tools (<see cref="McpToolsResult"/>), from a fresh start of the server as configured.</summary>
    public const string McpTools = "mcp/tools";
}
