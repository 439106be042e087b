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

    /// <summary>Is the Claude Code CLI installed and logged in? See <see cref="ClaudeCodeAuthResult"/>.</summary>
    public const string AuthClaudeCode = "auth/claudeCode";

    /// <summary>Sidecar → client: asks the user to approve a tool use; see <see cref="PermissionRequestParams"/>.</summary>
    public const string PermissionRequest = "permission/request";
}
