using Plue.Rpc;

namespace Plue.Protocol;

/// <summary>
/// The sidecar's RPC surface, <c>area/verb</c>, in one table: each method's name, direction and wire types, and
/// what it does for a client. Each feature serves its methods in one endpoint table (<c>XxxEndpoints</c>); the
/// TypeScript declarations and the protocol reference are generated from this table and its comments. Errors are
/// JSON-RPC's (-32602 invalid params, -32800 cancelled) and the project's own, see <see cref="PlueErrorCodes"/>.
/// </summary>
public static class Contract
{
    private static PlueJsonContext Json => PlueJsonContext.Default;

    /// <summary>
    /// The LSP handshake, the first request. Params: the client's pid (the sidecar exits when it dies) and
    /// <c>initializationOptions {plueHome, vaultKey, workspaceFolders, trusted}</c>. Result: the server's name, version
    /// and capabilities. Any other request before it is answered -32002.
    /// </summary>
    public static readonly RequestType<InitializeParams, InitializeResult> Initialize =
        new(RpcMethods.Initialize, () => Json.InitializeParams, () => Json.InitializeResult);

    /// <summary>
    /// No params. Result: the sidecar's version, pid, <c>plueHome</c>, uptime in ms, and <c>vaultKey</c>: where the vault's
    /// master key is (<c>keychain</c>, <c>file</c> with why no keychain, or <c>environment</c>), absent while the sidecar starts.
    /// </summary>
    public static readonly RequestType<EmptyParams, StatusResult> Status =
        new("plue/status", () => Json.EmptyParams, () => Json.StatusResult);

    /// <summary>
    /// Liveness and latency probe. Params: <c>delayMs?</c> (0 to one hour) to wait before answering,
    /// <c>notifications?</c> to send that many <c>plue/pong</c> first. Result: the uptime in ms. Out-of-range values
    /// are -32602; a cancelled ping stops waiting.
    /// </summary>
    public static readonly RequestType<PingParams, PingResult> Ping =
        new("plue/ping", () => Json.PingParams, () => Json.PingResult);

    /// <summary>
    /// Sidecar → client, sent by <c>plue/ping</c> when asked for notifications: <c>{seq}</c>, counting from 0.
    /// </summary>
    public static readonly NotificationType<PongParams> Pong =
        new("plue/pong", () => Json.PongParams);

    /// <summary>
    /// No params. Result: every template file (shipped, user, workspace), usable or not: id, name, source, file,
    /// whether it is active and usable, and its problems, so a broken file is visible.
    /// </summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<TemplateSummary>> TemplatesList =
        new("templates/list", () => Json.EmptyParams, () => Json.IReadOnlyListTemplateSummary);

    /// <summary>
    /// Params: <c>{id}</c> of a template. Result: the template with inheritance applied: its lineage, fields (type,
    /// limits, options, conditions) and hooks. Errors: -33001 when no template has the id, -32602 when it exists but
    /// has problems.
    /// </summary>
    public static readonly RequestType<IdParams, TemplateDetail> TemplatesGet =
        new("templates/get", () => Json.IdParams, () => Json.TemplateDetail);

    /// <summary>
    /// Params: <c>{file, text}</c>: a template file's path and its text as the user is typing it, saved or not.
    /// Result: <c>{diagnostics, id}</c>: every problem loading that text would report (errors and warnings, with
    /// 1-based line and column), in that file and in the loaded templates that inherit from it; <c>id</c> when the
    /// text would load. Nothing is loaded or changed.
    /// </summary>
    public static readonly RequestType<TemplateValidateParams, TemplateValidateResult> TemplatesValidate =
        new("templates/validate", () => Json.TemplateValidateParams, () => Json.TemplateValidateResult);

    /// <summary>
    /// Sidecar → client: template files changed on disk and were reloaded; <c>{ids}</c> are the usable templates now,
    /// sorted. <c>templates/list</c> has each file's problems after the reload.
    /// </summary>
    public static readonly NotificationType<TemplatesChangedParams> TemplatesChanged =
        new("templates/changed", () => Json.TemplatesChangedParams);

    /// <summary>
    /// Params: a draft record <c>{templateId, title, fields?, tags?, slug?, parentId?, status?}</c>, checked against
    /// its template. Result: the stored record with its id, <c>codex://</c> ref and version 1. A client cannot set
    /// <c>spawnedBy</c>, nor a field the record's feature alone writes (a chat's provider and model, a task's
    /// result), except as the template's default. Errors: -32602 listing every field that breaks the template or that
    /// only its feature writes, -33002 when the slug was taken meanwhile.
    /// </summary>
    public static readonly RequestType<CodexDraft, CodexRecord> CodexCreate =
        new("codex/create", () => Json.CodexDraft, () => Json.CodexRecord);

    /// <summary>
    /// Params: <c>{templateId, title}</c>. Result: <c>{slug, ref}</c>: the slug <c>codex/create</c> would give a record of
    /// that template and title now, by the template's kind's rule (an MCP server's slug has no dot: "db.prod 2" is
    /// <c>db-prod-2</c>), and free now. Nothing is created: a window shows it as the user types a name (an MCP server's
    /// tool names, <c>mcp__&lt;slug&gt;__&lt;tool&gt;</c>). Errors: -33001 when no template has the id.
    /// </summary>
    public static readonly RequestType<CodexSlugParams, CodexSlugResult> CodexSlug =
        new("codex/slug", () => Json.CodexSlugParams, () => Json.CodexSlugResult);

    /// <summary>Params: <c>{id}</c>. Result: the record. Errors: -33001 when no record has the id.</summary>
    public static readonly RequestType<IdParams, CodexRecord> CodexGet =
        new("codex/get", () => Json.IdParams, () => Json.CodexRecord);

    /// <summary>
    /// Params: <c>{id, version, ...}</c> with the members that change. Result: the record at its next version; a
    /// history entry keeps the one before. A field the record's feature alone writes is refused (naming the request that
    /// writes it), or checked as that request checks it: a chat's provider and model move it as <c>session/setModel</c>
    /// does. Errors: -33002 when <c>version</c> is not the current one (reload and retry), -32602 when the result breaks
    /// the template or the feature's rules, -33001 for an unknown id.
    /// </summary>
    public static readonly RequestType<CodexChange, CodexRecord> CodexUpdate =
        new("codex/update", () => Json.CodexChange, () => Json.CodexRecord);

    /// <summary>
    /// Params: <c>{id}</c>. Result: <c>{deleted: true}</c>. The record stays in its history, so <c>codex/undo</c>
    /// brings it back. Errors: -33001 for an unknown id, -32602 when its feature cannot let it go now (a chat that is
    /// answering, as <c>session/delete</c> refuses it; a task that is running, until <c>task/interrupt</c> stops it;
    /// either in another window's sidecar on the same home, while that sidecar runs).
    /// </summary>
    public static readonly RequestType<IdParams, DeletedResult> CodexDelete =
        new("codex/delete", () => Json.IdParams, () => Json.DeletedResult);

    /// <summary>
    /// Params, all optional: <c>templateId</c>, <c>tags</c> (all of them), <c>spawnedBy</c>, <c>parentId</c>,
    /// <c>status</c>, <c>sort</c> (updatedDesc by default, updatedAsc, createdDesc, createdAsc, titleAsc), <c>limit</c>
    /// (50), <c>cursor</c> from the previous page. Result: <c>{items, nextCursor?}</c>; no cursor means the last page.
    /// Errors: -32602 for an unknown sort.
    /// </summary>
    public static readonly RequestType<CodexListParams, CodexListResult> CodexList =
        new("codex/list", () => Json.CodexListParams, () => Json.CodexListResult);

    /// <summary>
    /// Params: <c>{id}</c>, of a live or a deleted record. Result: its changes, newest first, each with the record
    /// before and after. Errors: -33001 when no record ever had the id.
    /// </summary>
    public static readonly RequestType<IdParams, IReadOnlyList<HistoryEntry>> CodexHistory =
        new("codex/history", () => Json.IdParams, () => Json.IReadOnlyListHistoryEntry);

    /// <summary>
    /// Sidecar → client: a record changed and the change is committed, whichever request or process made it (this
    /// sidecar's own writes at once; another window's or the command line's within about a second, seen through the
    /// store). <c>{id, kind, templateId, record?, deleted}</c>: <c>kind</c> is the root of the template's lineage
    /// (<c>llm-provider</c>, <c>ai-chat</c>, <c>task</c>, <c>mcp-server</c>…), <c>record</c> the record as committed,
    /// absent when <c>deleted</c>. A change may be told twice; the latest record is the truth.
    /// </summary>
    public static readonly NotificationType<CodexChangedParams> CodexChanged =
        new("codex/changed", () => Json.CodexChangedParams);

    /// <summary>
    /// Params: <c>{id}</c>. Reverts the record's latest change (a delete is restored). Result: <c>{record}</c>, absent
    /// when the undo removed a record it had created. Errors: -33002 when the record changed meanwhile or its slug was
    /// taken since, -32602 when nothing is left to undo, when the latest change is one the record's feature made (a
    /// task's result: change the fields meant with <c>codex/update</c>), or when it would remove a chat that is answering or a task that is running.
    /// </summary>
    public static readonly RequestType<IdParams, UndoResult> CodexUndo =
        new("codex/undo", () => Json.IdParams, () => Json.UndoResult);

    /// <summary>
    /// Params: <c>{ref}</c>, a <c>codex://collection/name</c> reference. Result: <c>{kind: "record", record}</c> or
    /// <c>{kind: "prompt", prompt}</c>. Errors: -32602 for a malformed reference (<c>..</c>, encoded characters,
    /// absolute paths), -33001 when nothing has that name.
    /// </summary>
    public static readonly RequestType<RefParams, ResolveResult> CodexResolve =
        new("codex/resolve", () => Json.RefParams, () => Json.ResolveResult);

    /// <summary>
    /// No params. Result: every prompt file (shipped, user and, in a trusted workspace, the workspace's): its
    /// <c>codex://prompts/…</c> ref, name, description and source.
    /// </summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<PromptInfo>> PromptsList =
        new("prompts/list", () => Json.EmptyParams, () => Json.IReadOnlyListPromptInfo);

    /// <summary>
    /// Params: <c>{ref}</c>, a <c>codex://prompts/…</c> reference. Result: the prompt with its text. Errors: -32602 for
    /// a malformed reference, -33001 when no root has it.
    /// </summary>
    public static readonly RequestType<RefParams, Prompt> PromptsGet =
        new("prompts/get", () => Json.RefParams, () => Json.Prompt);

    /// <summary>
    /// No params. Result: <c>{items: [{kind, name, description?, source, scope, layout, status, reason?}]}</c>: every
    /// agent customization file found in the workspace folders and the user's home, in every peer's layout
    /// (instructions, skills, commands, agents, agent hooks, MCP servers; docs/CUSTOMIZATIONS.md), in precedence order,
    /// each <c>used</c> or <c>ignored</c> with the reason (bad front matter with its line, an unknown field, a name the
    /// layout refuses, over its size cap, a link leading outside, shadowed by a file of higher precedence, the
    /// workspace not trusted). The files are read again when they change, not at each request.
    /// </summary>
    public static readonly RequestType<EmptyParams, CustomizationsListResult> CustomizationsList =
        new("customizations/list", () => Json.EmptyParams, () => Json.CustomizationsListResult);

    /// <summary>
    /// Copy to Plue. Params: <c>{source, name?}</c>: a found file's path as <c>customizations/list</c> gives it, and the
    /// item's name where one file holds several (agent hooks). Result: the new record (an <c>instruction</c>,
    /// <c>skill</c>, <c>command</c>, <c>agent</c> or <c>agent-hook</c>), editable with history and undo; its
    /// <c>copied_from</c> names the file, which the record then shadows. Errors: -32602 when no found file is at
    /// <c>source</c>, when it is ignored for a reason a copy would keep (it cannot be read), or for an MCP server
    /// (add it in the MCP Servers view).
    /// </summary>
    public static readonly RequestType<CustomizationCopyParams, CodexRecord> CustomizationsCopy =
        new("customizations/copy", () => Json.CustomizationCopyParams, () => Json.CodexRecord);

    /// <summary>
    /// Sidecar → client: <c>{message, server, denials}</c>, what the sandbox refused an MCP server while no chat or task
    /// was using it (a background connection or write between calls, told after a quiet while so no call's card carries
    /// it). The client shows <c>message</c> as a warning.
    /// </summary>
    public static readonly NotificationType<SandboxRefusedParams> SandboxRefused =
        new("sandbox/refused", () => Json.SandboxRefusedParams);

    /// <summary>
    /// Sidecar → client: the customizations changed (a file of a layout changed on disk, or a record of an
    /// instruction, skill, command, agent or agent hook was written); <c>{items}</c> is the list as
    /// <c>customizations/list</c> now answers it.
    /// </summary>
    public static readonly NotificationType<CustomizationsListResult> CustomizationsChanged =
        new("customizations/changed", () => Json.CustomizationsListResult);

    /// <summary>
    /// No params. Result: every catalog provider, shipped and user, sorted by id: <c>[{id, name, type, defaultEndpoint,
    /// modelCount, source, supported}]</c>.
    /// </summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<CatalogProviderSummary>> CatalogList =
        new("catalog/list", () => Json.EmptyParams, () => Json.IReadOnlyListCatalogProviderSummary);

    /// <summary>
    /// Params: <c>{providerId}</c>. Result: the provider's models with context window, capabilities and prices (USD per
    /// 1M tokens; absent when unknown). Errors: -33001 for an unknown provider.
    /// </summary>
    public static readonly RequestType<CatalogModelsParams, IReadOnlyList<CatalogModel>> CatalogModels =
        new("catalog/models", () => Json.CatalogModelsParams, () => Json.IReadOnlyListCatalogModel);

    /// <summary>
    /// Params: a whole provider (id, name, type, endpoint, models). Makes it a <c>catalog</c> record through
    /// <c>codex/create</c>, whose kind writes the user file in <c>$PLUE_HOME/catalog</c> (a shipped id: an override).
    /// Result: its summary as in <c>catalog/list</c>. Errors: -32602 as <c>codex/create</c> gives it (<c>data.fields</c>
    /// names the record's fields), including an id another provider of yours has, or a member the record has no field for.
    /// </summary>
    public static readonly RequestType<CatalogProvider, CatalogProviderSummary> CatalogCreate =
        new("catalog/create", () => Json.CatalogProvider, () => Json.CatalogProviderSummary);

    /// <summary>
    /// Params: a whole provider. Makes the <c>catalog</c> record of that provider id this provider
    /// (<c>codex/update</c>), or makes one for a shipped provider (an override) or a file written by hand. Result: its
    /// summary. Errors: -32602 as <c>codex/update</c> gives it, -33001 for an unknown id.
    /// </summary>
    public static readonly RequestType<CatalogProvider, CatalogProviderSummary> CatalogUpdate =
        new("catalog/update", () => Json.CatalogProvider, () => Json.CatalogProviderSummary);

    /// <summary>
    /// Params: <c>{id}</c>, a provider id. Deletes its <c>catalog</c> record (<c>codex/delete</c>: undo brings it back),
    /// or a file written by hand. Result: <c>{id, restored?}</c>, where <c>restored</c> is the shipped provider a deleted
    /// override brings back. Errors: -32602 for a shipped provider (only an override of it can go), -33001 for an unknown id.
    /// </summary>
    public static readonly RequestType<IdParams, DeleteCatalogResult> CatalogDelete =
        new("catalog/delete", () => Json.IdParams, () => Json.DeleteCatalogResult);

    /// <summary>
    /// No params. Result: starting points for <c>catalog/create</c> (OpenAI-compatible, Anthropic-compatible, a local
    /// server), each a provider to fill in.
    /// </summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<CatalogTemplate>> CatalogTemplates =
        new("catalog/templates", () => Json.EmptyParams, () => Json.IReadOnlyListCatalogTemplate);

    /// <summary>
    /// Params: <c>{text, fileName?}</c>, a catalog provider file in the project's format or Catwalk's (told apart by
    /// Catwalk's snake_case members). Makes it a <c>catalog</c> record, whose kind writes it as a user file. Result:
    /// the record. Errors: -32602 for a file that cannot be read (with its line) or whose provider is invalid (its
    /// fields' problems, as <c>codex/create</c> gives them; a member a catalog record has no field for, such as a
    /// provider's <c>note</c> or <c>supported: false</c>, is refused as <c>catalog/create</c> refuses it, naming the file and
    /// the provider).
    /// </summary>
    public static readonly RequestType<CatalogImportParams, CodexRecord> CatalogImport =
        new("catalog/import", () => Json.CatalogImportParams, () => Json.CodexRecord);

    /// <summary>
    /// Params: <c>{id, format?}</c>, a <c>catalog</c> record and <c>plue</c> (default) or <c>catwalk</c>. Result:
    /// <c>{fileName, text}</c>, the provider as a file. Errors: -33001 for an unknown record, -32602 for a record of
    /// another template, a format that is neither, or a type Catwalk has no name for.
    /// </summary>
    public static readonly RequestType<CatalogExportParams, CatalogExportResult> CatalogExport =
        new("catalog/export", () => Json.CatalogExportParams, () => Json.CatalogExportResult);

    /// <summary>
    /// No params. Result: the catalog files that could not be loaded, as <c>templates/validate</c> gives a
    /// template's problems: <c>[{file, line, column, severity, message}]</c>.
    /// </summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<TemplateDiagnostic>> CatalogProblems =
        new("catalog/problems", () => Json.EmptyParams, () => Json.IReadOnlyListTemplateDiagnostic);

    /// <summary>
    /// Params: <c>{ref, value}</c>, a <c>vault://</c> reference and the secret. Stores it encrypted. Result:
    /// <c>{ref}</c>; no method ever returns a value. Errors: -32602 for a malformed reference, -33004 when the vault
    /// cannot be opened with the client's key.
    /// </summary>
    public static readonly RequestType<VaultStoreParams, VaultStoreResult> VaultStore =
        new("vault/store", () => Json.VaultStoreParams, () => Json.VaultStoreResult);

    /// <summary>
    /// Params: <c>{ref}</c>. Result: <c>{deleted}</c>, false when there was nothing to delete. Errors: -33004 when the
    /// vault cannot be opened.
    /// </summary>
    public static readonly RequestType<RefParams, DeletedResult> VaultDelete =
        new("vault/delete", () => Json.RefParams, () => Json.DeletedResult);

    /// <summary>
    /// Params: <c>{ref}</c>. Result: <c>{exists}</c>. Errors: -33004 when the vault cannot be opened.
    /// </summary>
    public static readonly RequestType<RefParams, VaultHasResult> VaultHas =
        new("vault/has", () => Json.RefParams, () => Json.VaultHasResult);

    /// <summary>
    /// No params. Result: the stored <c>vault://</c> references, never their values. Errors: -33004 when the vault
    /// cannot be opened.
    /// </summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<string>> VaultList =
        new("vault/list", () => Json.EmptyParams, () => Json.IReadOnlyListString);

    /// <summary>
    /// Params: <c>{newKey}</c>, a base64 256-bit key the client made (and keeps). Re-encrypts the vault with it; the
    /// old file is kept as <c>vault.bin.bak</c>. Result: <c>{count}</c> of secrets re-encrypted. Errors: -32602 for a
    /// key that is not 32 bytes, -33004 when the vault cannot be opened.
    /// </summary>
    public static readonly RequestType<VaultRotateParams, VaultRotateResult> VaultRotate =
        new("vault/rotate", () => Json.VaultRotateParams, () => Json.VaultRotateResult);

    /// <summary>
    /// Params: <c>{displayName, catalogProviderId, endpoint?, timeoutMs?, firstByteTimeoutMs?, stallTimeoutMs?, retry?, apiKey? |
    /// apiKeyRef?, modelFilter?, defaultModel?, cliPath?, enabled?}</c>. Creates a provider instance (an
    /// <c>llm-provider</c> codex); an <c>apiKey</c> goes to the vault and only its reference is stored. Result: the
    /// instance, never its key. Errors: -32602 for invalid fields or an unknown catalog provider.
    /// </summary>
    public static readonly RequestType<CreateInstanceParams, ProviderInstance> InstancesCreate =
        new("instances/create", () => Json.CreateInstanceParams, () => Json.ProviderInstance);

    /// <summary>
    /// No params. Result: the configured instances, then the ones offered by API keys in the sidecar's environment (id
    /// <c>env:&lt;provider&gt;</c>, read-only).
    /// </summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<ProviderInstance>> InstancesList =
        new("instances/list", () => Json.EmptyParams, () => Json.IReadOnlyListProviderInstance);

    /// <summary>
    /// Params: <c>{id}</c>, of a configured or an <c>env:</c> instance. Result: the instance. Errors: -33001 for an
    /// unknown id or a record that is not an instance.
    /// </summary>
    public static readonly RequestType<IdParams, ProviderInstance> InstancesGet =
        new("instances/get", () => Json.IdParams, () => Json.ProviderInstance);

    /// <summary>
    /// Params: <c>{id, version, ...}</c> with the members that change, as <c>instances/create</c>. Result: the instance
    /// at its next version. Errors: -33002 when <c>version</c> is stale, -32602 for invalid fields, -33001 for an
    /// unknown id.
    /// </summary>
    public static readonly RequestType<UpdateInstanceParams, ProviderInstance> InstancesUpdate =
        new("instances/update", () => Json.UpdateInstanceParams, () => Json.ProviderInstance);

    /// <summary>
    /// Params: <c>{id}</c>. Deletes the instance and the vault entry it owns. Result: <c>{deleted: true}</c>. Errors:
    /// -33001 for an unknown id.
    /// </summary>
    public static readonly RequestType<IdParams, DeletedResult> InstancesDelete =
        new("instances/delete", () => Json.IdParams, () => Json.DeletedResult);

    /// <summary>
    /// Params: <c>{id, enabled}</c>. A disabled instance is kept but offered to no chat or task. Enabling also tests the
    /// instance as <c>instances/test</c> does (it may take as long): it stays enabled whatever the test found. Result:
    /// the instance, after enabling with that test as its <c>lastTest</c>. Errors: -33001 for an unknown id.
    /// </summary>
    public static readonly RequestType<SetInstanceEnabledParams, ProviderInstance> InstancesSetEnabled =
        new("instances/setEnabled", () => Json.SetInstanceEnabledParams, () => Json.ProviderInstance);

    /// <summary>
    /// Params: <c>{id}</c>. Makes the cheapest real call of the instance's backend (its models list, Ollama's version,
    /// <c>claude auth status</c>). Result: <c>{ok, latencyMs, modelCount?, error?}</c>; a failure is a result with
    /// <c>ok: false</c> and an error that says what is missing, not an RPC error. Errors: -33001 for an unknown id.
    /// </summary>
    public static readonly RequestType<IdParams, InstanceTestResult> InstancesTest =
        new("instances/test", () => Json.IdParams, () => Json.InstanceTestResult);

    /// <summary>
    /// Params: <c>{id}</c> of a <c>docker-engine</c> record. Asks the engine its version (the API version negotiated
    /// down to what it serves) and whether it can bind-mount the workspace's folder; for a swarm record, also whether
    /// it manages the swarm and its nodes. Result: <c>{ok, engine, address, version?, apiVersion?, os?, arch?,
    /// canMountWorkspace?, swarm?: {manager, readyNodes, nodes, architectures, registry}, error?, fix?, latencyMs,
    /// testedAt}</c>; an engine that cannot be reached, or a swarm record's engine that is no manager (fix
    /// <c>swarm</c>), is a result with <c>ok: false</c> and a one-line error, not an RPC error.
    /// Errors: -33001 for an id that is no engine.
    /// </summary>
    public static readonly RequestType<IdParams, EngineTestResult> EnginesTest =
        new("engines/test", () => Json.IdParams, () => Json.EngineTestResult);

    /// <summary>
    /// Params: <c>{id, image?}</c>: a swarm <c>docker-engine</c> record, and the base image (default: the workspace's
    /// devcontainer image, else debian:bookworm-slim). Builds the runner image (the base with Plue's Linux binary at
    /// /opt/plue/plue) on the manager for each architecture of its nodes and pushes it to the engine's registry, once:
    /// an image the registry has is not built again. Result: <c>{ok, engine, images: [{architecture, image, pushed}],
    /// error?, fix?}</c>; a registry that does not answer or refuses the push is <c>ok: false</c> with a one-line error.
    /// Errors: -33001 for an id that is no engine; -32602 for an engine that is no swarm.
    /// </summary>
    public static readonly RequestType<EngineRunnerImageParams, EngineRunnerImageResult> EnginesRunnerImage =
        new("engines/runnerImage", () => Json.EngineRunnerImageParams, () => Json.EngineRunnerImageResult);

    /// <summary>
    /// Params: none. Whether each Docker engine record answers now (its version asked, at most 5 s each, all at once;
    /// no mount check). Result: <c>{engines: [{engine, engineId, ok, version?, apiVersion?, error?, fix?}]}</c> in name
    /// order, empty when there are none; an engine that does not answer is an entry with <c>ok: false</c>, not an error.
    /// </summary>
    public static readonly RequestType<EmptyParams, EnginesReachResult> EnginesReach =
        new("engines/reach", () => Json.EmptyParams, () => Json.EnginesReachResult);

    /// <summary>
    /// Params: <c>{taskId, cols, rows}</c>. Opens a shell (<c>/bin/sh</c>) with a terminal of that size in the task's
    /// container, on the engine its record names (none: this machine's), found by its <c>plue.task</c> label. Result:
    /// <c>{terminalId, engine, shortId}</c>; the shell's output comes as <c>engines/terminalOutput</c>, its end as
    /// <c>engines/terminalClosed</c>. Errors: -33001 for an unknown task or engine; -32602 when the task's container
    /// is not running, or the engine cannot be reached (the message says what to do).
    /// </summary>
    public static readonly RequestType<EngineTerminalOpenParams, EngineTerminalOpened> EnginesOpenTerminal =
        new("engines/openTerminal", () => Json.EngineTerminalOpenParams, () => Json.EngineTerminalOpened);

    /// <summary>Params: <c>{terminalId, data}</c>: what the user typed. Result: <c>{terminalId, open}</c> (false: it has closed, the input is dropped).</summary>
    public static readonly RequestType<EngineTerminalInputParams, EngineTerminalState> EnginesWriteTerminal =
        new("engines/writeTerminal", () => Json.EngineTerminalInputParams, () => Json.EngineTerminalState);

    /// <summary>Params: <c>{terminalId, cols, rows}</c>: the terminal's new size. Result: <c>{terminalId, open}</c>.</summary>
    public static readonly RequestType<EngineTerminalResizeParams, EngineTerminalState> EnginesResizeTerminal =
        new("engines/resizeTerminal", () => Json.EngineTerminalResizeParams, () => Json.EngineTerminalState);

    /// <summary>Params: <c>{terminalId}</c>: ends the shell and its connection. Result: <c>{terminalId, open: false}</c>; an unknown or closed terminal is not an error.</summary>
    public static readonly RequestType<EngineTerminalCloseParams, EngineTerminalState> EnginesCloseTerminal =
        new("engines/closeTerminal", () => Json.EngineTerminalCloseParams, () => Json.EngineTerminalState);

    /// <summary>Sidecar → client: <c>{terminalId, data}</c>, what a terminal's shell wrote, as text.</summary>
    public static readonly NotificationType<EngineTerminalOutputParams> EnginesTerminalOutput =
        new("engines/terminalOutput", () => Json.EngineTerminalOutputParams);

    /// <summary>Sidecar → client: <c>{terminalId, exitCode?, reason?}</c>: a terminal's shell ended, or its container went away.</summary>
    public static readonly NotificationType<EngineTerminalClosedParams> EnginesTerminalClosed =
        new("engines/terminalClosed", () => Json.EngineTerminalClosedParams);

    /// <summary>
    /// Params: <c>{id}</c>. Result: the models the instance offers after its model filter: the provider's own list
    /// merged with the catalog's prices, or the catalog's alone when the provider cannot list them now. A list an earlier
    /// sidecar on the home kept is served at once, and refreshed behind when older than 10 minutes (docs/PROVIDERS.md).
    /// Errors: -33001 for an unknown id.
    /// </summary>
    public static readonly RequestType<IdParams, IReadOnlyList<CatalogModel>> InstancesModels =
        new("instances/models", () => Json.IdParams, () => Json.IReadOnlyListCatalogModel);

    /// <summary>
    /// Params: <c>{instanceId, modelId, title?, systemPromptRef?, systemPrompt?}</c>. Result: the new chat session.
    /// Errors: -33001 for an unknown instance, -32602 for invalid fields.
    /// </summary>
    public static readonly RequestType<SessionCreateParams, Session> SessionCreate =
        new("session/create", () => Json.SessionCreateParams, () => Json.Session);

    /// <summary>
    /// Params: <c>{archived?, limit?, after?}</c> (archived false by default: the open chats). Result: every session, last
    /// changed first; or a page of at most <c>limit</c> (1 to 1000) after the chat <c>after</c> (the last id of the
    /// previous page), pages in creation order (newest first, by id), which no change to a chat moves: a walk reaches
    /// every chat there was when it began, renamed or not, and <c>after</c> may be a chat deleted since. A page shorter
    /// than <c>limit</c> is the last. Errors: -32602 for a limit outside 1 to 1000.
    /// </summary>
    public static readonly RequestType<SessionListParams, IReadOnlyList<Session>> SessionList =
        new("session/list", () => Json.SessionListParams, () => Json.IReadOnlyListSession);

    /// <summary>
    /// Params: <c>{id}</c>. Result: the session with its status, usage and cost. Errors: -33001 when the id is not a
    /// chat session.
    /// </summary>
    public static readonly RequestType<IdParams, Session> SessionGet =
        new("session/get", () => Json.IdParams, () => Json.Session);

    /// <summary>
    /// Params: <c>{id, format?}</c>, format <c>markdown</c> (the default) or <c>json</c>. Result: <c>{text, fileName}</c>:
    /// the whole chat as <c>plue sessions export</c> writes it (markdown: a title, then each message under its author;
    /// JSON: <c>{format, version, session, record, instance, messages}</c> with every part, which <c>session/import</c> reads), and a file name from its title. Errors: -32602 for another
    /// format, -33001 for an unknown session.
    /// </summary>
    public static readonly RequestType<SessionExportParams, SessionExportResult> SessionExport =
        new("session/export", () => Json.SessionExportParams, () => Json.SessionExportResult);

    /// <summary>
    /// No params. Result: <c>{text, fileName}</c>: every chat and task (archived ones too), each with its record (tags,
    /// mode, status), instance (reference and name), whole transcript and costs, in one sessions file
    /// <c>{"format": "plue-sessions", "version": 1, "exportedAt", "records"}</c>, as <c>plue sessions export --all</c> writes it.
    /// </summary>
    public static readonly RequestType<EmptyParams, SessionExportResult> SessionExportAll =
        new("session/exportAll", () => Json.EmptyParams, () => Json.SessionExportResult);

    /// <summary>
    /// Params: <c>{json}</c>: the text of a sessions file or of one chat's JSON export. Writes every chat and task in one
    /// transaction (all or nothing) and never over a record here: an id already here is skipped when the record and its
    /// transcript are the same, else imported as a new record. An instance the file names that is not here (by
    /// reference, then by name) leaves the chat readable, listed in <c>missingInstances</c>. Result:
    /// <c>{chats, tasks, skipped, copied, missingInstances, ids, chatId?, message}</c>, <c>message</c> saying it in the
    /// user's words. Errors: -32602 for a file that is not JSON (with its line and column, "ends early" for a cut one),
    /// not a sessions file, or of a newer version than this Plue reads.
    /// </summary>
    public static readonly RequestType<SessionImportParams, SessionImportResult> SessionImport =
        new("session/import", () => Json.SessionImportParams, () => Json.SessionImportResult);

    /// <summary>
    /// Params: <c>{id, limit?, beforeSeq?}</c>. Result: <c>{messages, hasMore}</c>: always one page, in order: the
    /// latest <c>limit</c> messages (200 when left out, at most 1000) before <c>beforeSeq</c> (or the end), and whether
    /// earlier ones exist. Errors: -32602 for a limit below 1 or above 1000, -33001 for an unknown session.
    /// </summary>
    public static readonly RequestType<SessionMessagesParams, SessionMessagesResult> SessionMessages =
        new("session/messages", () => Json.SessionMessagesParams, () => Json.SessionMessagesResult);

    /// <summary>
    /// Params: <c>{sessionId, messageId}</c>. Result: that one message with its parts, as <c>session/messages</c>
    /// gives it (a message a notification named, without reading its page). Errors: -33001 for an unknown chat, or a
    /// message that is not in it.
    /// </summary>
    public static readonly RequestType<MessageRefParams, SessionMessage> SessionMessage =
        new("session/message", () => Json.MessageRefParams, () => Json.SessionMessage);

    /// <summary>Params: <c>{id, title}</c>. Result: the session. Errors: -33001 for an unknown session.</summary>
    public static readonly RequestType<SessionRenameParams, Session> SessionRename =
        new("session/rename", () => Json.SessionRenameParams, () => Json.Session);

    /// <summary>
    /// Params: <c>{id, archived?}</c>; <c>archived: false</c> restores. Result: the session. Errors: -33001 for an
    /// unknown session.
    /// </summary>
    public static readonly RequestType<SessionArchiveParams, Session> SessionArchive =
        new("session/archive", () => Json.SessionArchiveParams, () => Json.Session);

    /// <summary>
    /// Params: <c>{id}</c>. Result: <c>{deleted: true}</c>; <c>codex/undo</c> brings the chat back. Errors: -33001 for
    /// an unknown session.
    /// </summary>
    public static readonly RequestType<IdParams, DeletedResult> SessionDelete =
        new("session/delete", () => Json.IdParams, () => Json.DeletedResult);

    /// <summary>
    /// Params: <c>{id, instanceId, modelId}</c>: what the next turn calls. Result: the session. Errors: -33001 for an
    /// unknown session or instance.
    /// </summary>
    public static readonly RequestType<SessionSetModelParams, Session> SessionSetModel =
        new("session/setModel", () => Json.SessionSetModelParams, () => Json.Session);

    /// <summary>
    /// Params: none. Result: the modes a chat can be in (<see cref="ChatMode"/>): the shipped Ask and Agent, every
    /// template derived from <c>chat-mode</c> and every record of it, Ask and Agent first.
    /// </summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<ChatMode>> SessionModes =
        new("session/modes", () => Json.EmptyParams, () => Json.IReadOnlyListChatMode);

    /// <summary>
    /// Params: <c>{id, mode}</c>: the chat's tools, approvals and mode instructions from its next turn; a mode that
    /// names a provider and model moves the chat to them. New chats start in the mode set last. Result: the session.
    /// Errors: -33001 for an unknown session; -32602 for a mode that is not one (<c>session/modes</c> lists them).
    /// </summary>
    public static readonly RequestType<SessionSetModeParams, Session> SessionSetMode =
        new("session/setMode", () => Json.SessionSetModeParams, () => Json.Session);

    /// <summary>
    /// Params: <c>{sessionId, text, attachments?}</c> (images: PNG, JPEG, GIF or WebP, base64, at most 5 MB each). A
    /// <c>url</c> attachment (<c>@url</c>) is fetched first, in a trusted workspace only, through the bounded client (2 MiB,
    /// 30 s), HTML reduced to text and capped at 40,000 characters with the cut said; a <c>codebase</c> one (<c>@codebase</c>)
    /// searches the workspace folders for its words (ripgrep when on PATH) and attaches the best-ranked chunks (at most 6,
    /// 30,000 characters); either becomes a <c>file</c> part whose <c>note</c> says what it holds. What cannot be fetched or
    /// found is refused with -32602 before anything is stored. Stores the user's message, streams the answer as <c>session/partDelta</c> and <c>session/messageUpdated</c>, and
    /// answers with the finished assistant message. Sent while the chat answers, the message is queued (kept in the store,
    /// told as <c>session/queueChanged</c>) and sent when the turn ends, unless it was stopped (then the queue waits for
    /// <c>session/steer</c> or the next turn's end); the request answers with its own answer then. Cancelling a request
    /// whose message is still queued takes it out of the queue. Sends written one after another on a connection are queued
    /// in that order. A chat holds at most 1,000 queued messages (a task's queue too): one more is refused with -33002.
    /// Cancelling the request, or <c>session/cancel</c>, stops the turn
    /// and keeps its text. Errors: -33003 when the provider fails (the message says why and what to do), -32602 for bad
    /// attachments, -33001 for an unknown session, -33002 for a full queue.
    /// </summary>
    public static readonly RequestType<SessionSendParams, SessionMessage> SessionSend =
        new("session/send", () => Json.SessionSendParams, () => Json.SessionMessage);

    /// <summary>
    /// Params: <c>{query, instanceId?, tag?, mode?, kind?, from?, to?, sort?, limit?}</c>. Searches every chat and task:
    /// their titles and the text of their messages (SQLite FTS5; each word a prefix, all words in one message or title,
    /// accents ignored), kept to an instance, a tag, a chat mode, chats or tasks, and a span of last changes. Result:
    /// <c>{hits}</c>, each the chat or task with its title, its instance's name, model and mode, and the words around the
    /// match in its best-matching message (<c>snippet</c>); by relevance, newest or oldest. An empty query lists what the
    /// filters keep, newest first. Errors: -32602 for a date that is not one or a limit out of 1–200.
    /// </summary>
    public static readonly RequestType<SessionSearchParams, SessionSearchResult> SessionSearch =
        new("session/search", () => Json.SessionSearchParams, () => Json.SessionSearchResult);

    /// <summary>
    /// Params: <c>{sessionId}</c>. Result: the messages waiting in the chat's queue (sent while it answered), in the
    /// order they will be sent. They are kept in the store: a queue outlives a restart of the sidecar. Errors: -33001
    /// for an unknown session.
    /// </summary>
    public static readonly RequestType<SessionIdParams, IReadOnlyList<QueuedMessage>> SessionQueue =
        new("session/queue", () => Json.SessionIdParams, () => Json.IReadOnlyListQueuedMessage);

    /// <summary>
    /// Params: <c>{id, text}</c>. Changes a queued message's text before it is sent. Result: the queued message; told as
    /// <c>session/queueChanged</c>. Errors: -32602 for empty text; -33001 when it is no longer queued (sent or removed).
    /// </summary>
    public static readonly RequestType<SessionQueueEditParams, QueuedMessage> SessionQueueEdit =
        new("session/queueEdit", () => Json.SessionQueueEditParams, () => Json.QueuedMessage);

    /// <summary>
    /// Params: <c>{id}</c>. Takes a queued message out of the queue, unsent; the <c>session/send</c> waiting for it fails
    /// with -32800. Result: <c>{deleted}</c>, false when it was no longer queued. Told as <c>session/queueChanged</c>.
    /// </summary>
    public static readonly RequestType<IdParams, DeletedResult> SessionQueueRemove =
        new("session/queueRemove", () => Json.IdParams, () => Json.DeletedResult);

    /// <summary>
    /// Params: <c>{id}</c>: sends a queued message now (steer). The running turn is stopped where it is (what arrived is
    /// kept, as with <c>session/cancel</c>, and a tool call under way is finished or refused as a stop does), and the
    /// message is the next turn, ahead of the rest of the queue; with no turn running (a queue left by a restart) it is
    /// sent at once. Its answer is the result of the <c>session/send</c> that queued it, and streams as usual. Why a stop
    /// rather than slipping the message into the turn's next tool round: a turn that only streams text has no next
    /// round, and the model should read the correction before it writes more (a task's <c>task/steer</c>, whose turns
    /// are tool rounds, is read before its next model call instead). Result: <c>{interrupted}</c>. Errors: -33001 when
    /// it is no longer queued.
    /// </summary>
    public static readonly RequestType<IdParams, SessionSteerResult> SessionSteer =
        new("session/steer", () => Json.IdParams, () => Json.SessionSteerResult);

    /// <summary>
    /// Sidecar → client: <c>{sessionId, added? | edited? | removed? | movedToFront?, count}</c>, one change to a chat's
    /// queue (a message queued, edited, removed or sent), in the order the changes were made; a client applies it to
    /// its copy, and reads the queue again when its count differs.
    /// </summary>
    public static readonly NotificationType<SessionQueueChangedParams> SessionQueueChanged =
        new("session/queueChanged", () => Json.SessionQueueChangedParams);

    /// <summary>
    /// Params: <c>{sessionId, text}</c>. Adds a system-role message to the chat (the composer's <c>/system</c>): no turn
    /// starts; from the next turn on the model reads it as system content where it stands in the conversation (OpenAI's
    /// <c>system</c> message, Ollama's <c>system</c> role, Anthropic's, Gemini's and Bedrock's system text). A compaction
    /// keeps sending it. Result: the stored message, also told as <c>session/messageUpdated</c>. Errors: -32602 for empty
    /// text, text over 100,000 characters or an archived chat; -33001 for an unknown session.
    /// </summary>
    public static readonly RequestType<SessionAddSystemParams, SessionMessage> SessionAddSystem =
        new("session/addSystem", () => Json.SessionAddSystemParams, () => Json.SessionMessage);

    /// <summary>
    /// Params: <c>{sessionId, messageId?, mode?}</c>. Hands the plan a Plan-mode answer ended with (its <c>plan</c> part;
    /// without <c>messageId</c> the chat's latest) to a turn in <c>mode</c> (default <c>mode-agent</c>) in the same chat:
    /// the chat is put in that mode, the plan is marked started, and a turn is sent carrying the plan's steps. While the
    /// plan has steps left, that mode's turns get the <c>plan_update</c> tool to tick them off, each change told as
    /// <c>session/messageUpdated</c>. Result: the answer, as <c>session/send</c>'s. Errors: -32602 when the message has
    /// no plan or its plan was started already, the mode is a plan mode or unknown, or the chat is archived; -33001 for
    /// an unknown session.
    /// </summary>
    public static readonly RequestType<SessionStartPlanParams, SessionMessage> SessionStartPlan =
        new("session/startPlan", () => Json.SessionStartPlanParams, () => Json.SessionMessage);

    /// <summary>
    /// Params: <c>{sessionId}</c>. Stops the session's streaming turn; its text so far is kept. Result:
    /// <c>{cancelled}</c>, false when no turn was running.
    /// </summary>
    public static readonly RequestType<SessionIdParams, CancelledResult> SessionCancel =
        new("session/cancel", () => Json.SessionIdParams, () => Json.CancelledResult);

    /// <summary>
    /// Params: <c>{sessionId}</c>. Answers the last user message again; the previous answer is superseded, not deleted.
    /// Result and errors as <c>session/send</c>.
    /// </summary>
    public static readonly RequestType<SessionIdParams, SessionMessage> SessionRegenerate =
        new("session/regenerate", () => Json.SessionIdParams, () => Json.SessionMessage);

    /// <summary>
    /// Params: <c>{sessionId, messageId, text}</c>. Replaces a user message's text and answers it again; the messages
    /// after it are superseded. Result and errors as <c>session/send</c>; -33001 when the message is not in the
    /// session.
    /// </summary>
    public static readonly RequestType<SessionEditParams, SessionMessage> SessionEditAndResend =
        new("session/editAndResend", () => Json.SessionEditParams, () => Json.SessionMessage);

    /// <summary>
    /// Params: <c>{sessionId, focus?}</c>. Compacts the chat now (the composer's <c>/compact [focus]</c>): the chat's
    /// compaction model (its <c>compaction_model</c>, else its own) summarises the conversation so far, keeping the goal, the
    /// instructions, files touched and unanswered tool results verbatim; the summary is stored as an assistant message
    /// holding a <c>summary</c> part, and later turns send it and what follows instead of what it stands for. Every message
    /// stays in the store (<c>session/messages</c> pages through all of them). Result: that message. Errors: -32602 while
    /// the chat answers or when there is nothing to compact; -33001 for an unknown chat; a provider's error as in <c>session/send</c>.
    /// </summary>
    public static readonly RequestType<SessionCompactParams, SessionMessage> SessionCompact =
        new("session/compact", () => Json.SessionCompactParams, () => Json.SessionMessage);

    /// <summary>
    /// Params: <c>{sessionId, messageId}</c>. Result: a new session with a copy of the transcript up to and including
    /// that message. Errors: -33001 when the message is not in the session.
    /// </summary>
    public static readonly RequestType<SessionForkParams, Session> SessionFork =
        new("session/fork", () => Json.SessionForkParams, () => Json.Session);

    /// <summary>
    /// Params: <c>{sessionId}</c> (a chat or a task). Result: <c>{available, reason?, checkpoints}</c>: every turn that
    /// changed the workspace (tool writes, edits, files a bash command changed, restores), oldest first, with
    /// the files it changed; a task's list holds its sub-tasks' too. <c>available</c> is false, with the reason, where
    /// changes cannot be recorded (no git on PATH, no workspace folder).
    /// </summary>
    public static readonly RequestType<CheckpointListParams, CheckpointListResult> CheckpointList =
        new("checkpoint/list", () => Json.CheckpointListParams, () => Json.CheckpointListResult);

    /// <summary>
    /// Params: <c>{sessionId, checkpointId, path?}</c>. Result: <c>{patch, before?, after?, binary}</c>: the turn's
    /// changes as a unified diff; with a path, that file's text before and after the turn too (for a diff editor).
    /// Errors: -33001 when the checkpoint is not the session's; -32602 for a path that is not inside the workspace.
    /// </summary>
    public static readonly RequestType<CheckpointDiffParams, CheckpointDiffResult> CheckpointDiff =
        new("checkpoint/diff", () => Json.CheckpointDiffParams, () => Json.CheckpointDiffResult);

    /// <summary>
    /// Params: <c>{sessionId, messageId? | checkpointId?, files?, conversation?, force?}</c>. Puts the files the chat
    /// (and, for a task, its sub-tasks) changed since that user message back as they were when it was sent, and/or
    /// drops that message and every later one. It first records the files as they are, so the restore is itself
    /// undone by restoring to <c>undoCheckpointId</c>. Files changed since by someone else are never overwritten
    /// unasked: the result is then <c>{restored: false, conflicts}</c>, and the client asks before sending
    /// <c>force: true</c>. Result: <c>{restored, conflicts, files, undoCheckpointId?, text?}</c> (<c>text</c>: the
    /// dropped message's, for the composer). Errors: -32602 without a message or checkpoint, or asking for neither
    /// files nor conversation; -33001 for an unknown message or checkpoint; -33002 while a reply streams.
    /// </summary>
    public static readonly RequestType<CheckpointRestoreParams, CheckpointRestoreResult> CheckpointRestore =
        new("checkpoint/restore", () => Json.CheckpointRestoreParams, () => Json.CheckpointRestoreResult);

    /// <summary>
    /// Sidecar → client: append <c>delta</c> to the part <c>partId</c> (of kind <c>kind</c>) of message
    /// <c>messageId</c> in session <c>sessionId</c> (a task's id for a task transcript).
    /// </summary>
    public static readonly NotificationType<PartDeltaParams> SessionPartDelta =
        new("session/partDelta", () => Json.PartDeltaParams);

    /// <summary>
    /// Sidecar → client: <c>{message}</c>, a whole message that replaces the client's copy (new parts, a finished
    /// status, usage and cost).
    /// </summary>
    public static readonly NotificationType<MessageUpdatedParams> SessionMessageUpdated =
        new("session/messageUpdated", () => Json.MessageUpdatedParams);

    /// <summary>Sidecar → client: <c>{session}</c>, whose status, usage or cost changed.</summary>
    public static readonly NotificationType<SessionUpdatedParams> SessionUpdated =
        new("session/updated", () => Json.SessionUpdatedParams);

    /// <summary>
    /// Params: <c>{cliPath?}</c>. Result: whether the Claude Code CLI is installed, its version, whether it is logged
    /// in and how; a missing CLI is a result, not an error.
    /// </summary>
    public static readonly RequestType<ClaudeCodeAuthParams, ClaudeCodeAuthResult> AuthClaudeCode =
        new("auth/claudeCode", () => Json.ClaudeCodeAuthParams, () => Json.ClaudeCodeAuthResult);

    /// <summary>
    /// Params: <c>{templateId, prompt, attachments?, title?, providerRef?, modelId?, parentId?, fields?}</c>; attached
    /// files and selections follow the prompt in the goal (<c>url</c> and <c>codebase</c> are for chats). Result: the task, queued; it runs in the background, not tied
    /// to this request, and reports through <c>task/updated</c>. Errors: -32602 for a template outside the task family,
    /// invalid fields or an image attached, -33001 for an unknown instance.
    /// </summary>
    public static readonly RequestType<TaskStartParams, AgentTask> TaskStart =
        new("task/start", () => Json.TaskStartParams, () => Json.AgentTask);

    /// <summary>
    /// Params: <c>{parentId?, limit?, after?}</c>. Result: every task, or the children of one, oldest first, each with its
    /// live state; with <c>limit</c> (1 to 1000) a page of at most that many after the task <c>after</c> (the last id of
    /// the previous page), a shorter page being the last. Errors: -32602 for a limit outside 1 to 1000 or an <c>after</c>
    /// that names no record.
    /// </summary>
    public static readonly RequestType<TaskListParams, IReadOnlyList<AgentTask>> TaskList =
        new("task/list", () => Json.TaskListParams, () => Json.IReadOnlyListAgentTask);

    /// <summary>
    /// Params: <c>{id}</c>. Result: the task with its live state (a pending approval) and what its subtree spent.
    /// Errors: -33001 when the id is not a task.
    /// </summary>
    public static readonly RequestType<IdParams, AgentTask> TaskGet =
        new("task/get", () => Json.IdParams, () => Json.AgentTask);

    /// <summary>
    /// Params and result as <c>session/messages</c>, for a task's transcript; live deltas come as
    /// <c>session/partDelta</c> with the task id as <c>sessionId</c>. Errors: -32602 for a limit below 1 or above 1000, -33001 when
    /// the id is not a task.
    /// </summary>
    public static readonly RequestType<SessionMessagesParams, SessionMessagesResult> TaskMessages =
        new("task/messages", () => Json.SessionMessagesParams, () => Json.SessionMessagesResult);

    /// <summary>
    /// Params: <c>{id}</c>. Stops the task and its whole subtree, answering once they have stopped; partial transcripts
    /// are kept. Result: the task, cancelled. Errors: -33001 when the id is not a task.
    /// </summary>
    public static readonly RequestType<IdParams, AgentTask> TaskInterrupt =
        new("task/interrupt", () => Json.IdParams, () => Json.AgentTask);

    /// <summary>
    /// Params: <c>{id, text}</c>. Adds a user message to a running task, stored in its transcript at once: the model reads it before its next call, or the resumed run does when the task stops first.
    /// Result: the task. Errors: -32602 when the task is not running, -33001 when the id is not a task.
    /// </summary>
    public static readonly RequestType<TaskSteerParams, AgentTask> TaskSteer =
        new("task/steer", () => Json.TaskSteerParams, () => Json.AgentTask);

    /// <summary>
    /// Params: <c>{id, text}</c>. Queues a message to a running task: it waits in the task's queue (kept in the store, so
    /// a restart of the sidecar loses none; edited by <c>session/queueEdit</c>, taken out by <c>session/queueRemove</c>,
    /// told by <c>session/queueChanged</c> with the task's id as <c>sessionId</c>) and is sent when the model's turn
    /// ends, read before its next call; a run about to complete reads it first. Result: the queued message. Errors:
    /// -32602 for empty text or a task that is not running, -33001 when the id is not a task.
    /// </summary>
    public static readonly RequestType<TaskSteerParams, QueuedMessage> TaskEnqueue =
        new("task/enqueue", () => Json.TaskSteerParams, () => Json.QueuedMessage);

    /// <summary>Params: <c>{id}</c>, a task. Result: the messages waiting in its queue, in the order they will be sent. Errors: -33001 when the id is not a task.</summary>
    public static readonly RequestType<IdParams, IReadOnlyList<QueuedMessage>> TaskQueue =
        new("task/queue", () => Json.IdParams, () => Json.IReadOnlyListQueuedMessage);

    /// <summary>
    /// Params: <c>{id}</c>, a queued message of a task: sends it now (steer), into the transcript ahead of the rest of the
    /// queue, read before the model's next call as <c>task/steer</c>'s. Result: the task. Errors: -33001 when it is no
    /// longer queued.
    /// </summary>
    public static readonly RequestType<IdParams, AgentTask> TaskSteerQueued =
        new("task/steerQueued", () => Json.IdParams, () => Json.AgentTask);

    /// <summary>
    /// Params: <c>{id, spendCapUsd?}</c>. A cancelled, paused or failed task goes on from its transcript, queued again,
    /// and so do its sub-tasks that stopped with it (at a spend cap, or with the sidecar), each from its own transcript;
    /// a task paused at its spend cap may get a higher one. Result: the task. Errors: -32602 when the task cannot be
    /// resumed (running, completed, or a cap not above what it spent), -33001 when the id is not a task.
    /// </summary>
    public static readonly RequestType<TaskResumeParams, AgentTask> TaskResume =
        new("task/resume", () => Json.TaskResumeParams, () => Json.AgentTask);

    /// <summary>
    /// Params: <c>{id}</c>. Result: what a task that worked in its own git worktree changed (files, a git patch) and where:
    /// the folder they apply to and the same folder in the worktree, to diff file by file. Errors: -33001 when the id is
    /// not a task or it has no changes waiting (it worked in the workspace, or they were applied or discarded).
    /// </summary>
    public static readonly RequestType<IdParams, TaskChangesResult> TaskChanges =
        new("task/changes", () => Json.IdParams, () => Json.TaskChangesResult);

    /// <summary>
    /// Params: <c>{id}</c>. Applies a finished task's changes to its folder with <c>git apply --3way</c> (the user's
    /// index untouched), recorded as a checkpoint of the task, and removes its worktree. Result: the files, those left
    /// with conflict markers, and each conflicted text file's base, current and incoming versions (for a merge editor). Errors: -32602 while the task runs, -33001 when it has no changes waiting, -33002 when the
    /// patch cannot apply at all (nothing changed; the worktree is kept).
    /// </summary>
    public static readonly RequestType<IdParams, TaskApplyChangesResult> TaskApplyChanges =
        new("task/applyChanges", () => Json.IdParams, () => Json.TaskApplyChangesResult);

    /// <summary>
    /// Params: <c>{id}</c>. Drops a finished task's changes and removes its worktree. Result: the task. Errors: -32602
    /// while the task runs, -33001 when it has no changes waiting.
    /// </summary>
    public static readonly RequestType<IdParams, AgentTask> TaskDiscardChanges =
        new("task/discardChanges", () => Json.IdParams, () => Json.AgentTask);

    /// <summary>
    /// Sidecar → client: <c>{taskId, title, mergedBy, result}</c>: task <c>mergedBy</c> merged its sub-task's changes
    /// into its folder (<c>merge_changes</c>, after the user approved); <c>result</c> is as <c>task/applyChanges</c>'s,
    /// so a client opens the files left in conflict in its merge editor.
    /// </summary>
    public static readonly NotificationType<TaskMergedParams> TaskMerged =
        new("task/merged", () => Json.TaskMergedParams);

    /// <summary>Sidecar → client: <c>{task}</c>, whose status, usage, cost or pending approval changed.</summary>
    public static readonly NotificationType<TaskUpdatedParams> TaskUpdated =
        new("task/updated", () => Json.TaskUpdatedParams);

    /// <summary>
    /// Sidecar → client: asks the user to approve a tool use that no rule decided. Params: <c>{tool, input, reason?,
    /// taskId?, sessionId?, suggestedPrefix?, suggestedGlob?, suggestedHost?}</c> (the bash command prefix, the host
    /// its URLs are on, or the write/edit path glob "Always…" may offer). Result: <c>{decision: "allow" | "allowAlways" |
    /// "deny", scope?: "task" | "workspace" | "everywhere", commandPrefix?, pathGlob?, host?, message?}</c>; an error or no answer counts as deny. An allowAlways answer is a
    /// <c>tool-grant</c> record (told by <c>codex/changed</c>).
    /// </summary>
    public static readonly RequestType<PermissionRequestParams, PermissionRequestResult> PermissionRequest =
        new("permission/request", () => Json.PermissionRequestParams, () => Json.PermissionRequestResult, Direction.SidecarToClient);

    /// <summary>
    /// No params. Result: <c>{workspaces, tasks, grants}</c>: every grant (<c>tool-grant</c> record) with where it
    /// holds, a chat's or task's named by its title (<c>ownerTitle</c>), <c>current</c> marking the open workspace's;
    /// <c>workspaces</c> and <c>tasks</c> say the same per set of workspace folders and per task, by what each allows.
    /// </summary>
    public static readonly RequestType<EmptyParams, PermissionsListResult> PermissionsList =
        new("permissions/list", () => Json.EmptyParams, () => Json.PermissionsListResult);

    /// <summary>
    /// Params: <c>{id?, taskId?, folders?, tool?}</c>: revokes one grant (<c>id</c>, a <c>tool-grant</c> record: deleted,
    /// so its history keeps it and <c>codex/undo</c> brings it back), or a chat's or task's grants (<c>taskId</c> is
    /// either's id), or a workspace's (the open one when none is given), for one tool or all. Result: <c>{removed}</c>.
    /// Errors: -32602 when both <c>taskId</c> and <c>folders</c> are given, no workspace is open and none is named, or
    /// <c>id</c> is not a grant; -33001 for an unknown <c>id</c>.
    /// </summary>
    public static readonly RequestType<PermissionsResetParams, PermissionsResetResult> PermissionsReset =
        new("permissions/reset", () => Json.PermissionsResetParams, () => Json.PermissionsResetResult);

    /// <summary>
    /// Params: <c>{id, rules?}</c>: weighs every recorded tool call of the chat or task <c>id</c> again, against the
    /// rules in force now (its mode's or auto_approve, the workspace's grants, its own) or against <c>rules</c> (a rules
    /// file's, in order), changing nothing and asking no one. Result: <c>{id, title, kind, fromFile, rules, calls}</c>,
    /// each call with what it got then (<c>recorded</c>) and would get now (<c>would</c>, decision allow | deny | ask).
    /// Errors: -33001 for an unknown <c>id</c>; -32602 for one that is neither a chat nor a task, or a rule with no tool
    /// or a decision other than allow or deny.
    /// </summary>
    public static readonly RequestType<ApprovalsReplayParams, ApprovalsReplayResult> ApprovalsReplay =
        new("approvals/replay", () => Json.ApprovalsReplayParams, () => Json.ApprovalsReplayResult);

    /// <summary>
    /// Params: <c>{id, partId}</c>: runs again the tool call of the chat or task <c>id</c> whose <c>tool_result</c> part
    /// <c>partId</c> carries <c>sandboxDenials</c>, its policy widened for that run only (each denied path writable, or
    /// its folder when it does not exist yet; each denied host allowed); the part's output is replaced and
    /// <c>sandboxAllowed</c> set to once. Later calls run under the policy as it was. Result: <c>{output, isError, denials,
    /// grants}</c>. Errors: -32602 when the part carries no denials or its call can no longer be run again (the sidecar
    /// restarted since).
    /// </summary>
    public static readonly RequestType<SandboxAllowParams, SandboxAllowResult> SandboxAllowOnce =
        new("sandbox/allowOnce", () => Json.SandboxAllowParams, () => Json.SandboxAllowResult);

    /// <summary>
    /// Params: <c>{id, partId}</c>: as <c>sandbox/allowOnce</c>, and first records each denial as a workspace
    /// <c>tool-grant</c> (<c>sandbox_path</c> or <c>sandbox_host</c>) that widens this workspace's policy for every later
    /// call, listed and revoked as every grant (<c>permissions/list</c>, <c>permissions/reset</c>). Result: as allowOnce's,
    /// with <c>grants</c>. Errors: as allowOnce's, and -32602 when no workspace folder is open or it is not trusted.
    /// </summary>
    public static readonly RequestType<SandboxAllowParams, SandboxAllowResult> SandboxAllowAlways =
        new("sandbox/allowAlways", () => Json.SandboxAllowParams, () => Json.SandboxAllowResult);

    /// <summary>
    /// No params. Result: the configured MCP servers (the <c>mcp-server</c> records) by title, each typed as
    /// <c>codex/changed</c> carries its view: a client lists them once and keeps them by that feed.
    /// </summary>
    public static readonly RequestType<EmptyParams, IReadOnlyList<McpServer>> McpServers =
        new("mcp/servers", () => Json.EmptyParams, () => Json.IReadOnlyListMcpServer);

    /// <summary>
    /// Params: <c>{id}</c> of an <c>mcp-server</c> record. Starts the server as configured (disabled or not) in a
    /// process of its own (a remote one: a connection of its own), lists its tools and stops it: how a client tests a
    /// server. A remote server that asks for OAuth is signed in to here: see <c>mcp/authorize</c>. Result: <c>{server, tools:
    /// [{name, agentName, description?}]}</c>. Errors: -33005 when the server does not start or list its tools (the
    /// message says why), -32602 when the record is not an MCP server, -33001 for an unknown id.
    /// </summary>
    public static readonly RequestType<IdParams, McpToolsResult> McpTools =
        new("mcp/tools", () => Json.IdParams, () => Json.McpToolsResult);

    /// <summary>
    /// Sidecar → client: a remote MCP server asks the user to sign in (OAuth), during <c>mcp/tools</c>. Params:
    /// <c>{server, title, url, waitSeconds}</c>: the client opens <c>url</c> in the browser, which comes back to the
    /// sidecar's loopback listener. Result: <c>{opened}</c>; false (the user declined) or an error fails the sign-in.
    /// The sidecar then waits for the browser's redirect at most <c>waitSeconds</c> (5 minutes): a redirect whose
    /// <c>state</c> matches no waiting sign-in (an old tab, another sign-in) is answered with a page saying so and does
    /// not end the wait; past it the sign-in fails and <c>mcp/tools</c> answers -33005 saying it was not completed in
    /// time. The window shows the time left while it waits.
    /// </summary>
    public static readonly RequestType<McpAuthorizeParams, McpAuthorizeResult> McpAuthorize =
        new("mcp/authorize", () => Json.McpAuthorizeParams, () => Json.McpAuthorizeResult, Direction.SidecarToClient);

    /// <summary>
    /// No params. The resources of every enabled MCP server (each started or connected to if needed, never signed in
    /// to): what a composer's <c>@</c> offers. Result: <c>{resources: [{server, serverTitle, uri, name, title?,
    /// description?, mimeType?}], unavailable: [{server, title, reason}]}</c>: a server that cannot be reached is listed
    /// under <c>unavailable</c> with the reason, and the others still answer.
    /// </summary>
    public static readonly RequestType<EmptyParams, McpResourcesResult> McpResources =
        new("mcp/resources", () => Json.EmptyParams, () => Json.McpResourcesResult);

    /// <summary>
    /// Params: <c>{server, uri}</c>. Reads a resource of an enabled MCP server (<c>resources/read</c>). Result:
    /// <c>{server, serverTitle, uri, mimeType?, text}</c>. Errors: -33005 when the server cannot be reached, refuses
    /// the read, or the resource has no text (binary only).
    /// </summary>
    public static readonly RequestType<McpReadResourceParams, McpReadResourceResult> McpReadResource =
        new("mcp/readResource", () => Json.McpReadResourceParams, () => Json.McpReadResourceResult);

    /// <summary>
    /// No params. The prompts of every enabled MCP server (not Plue's own prompts: see <c>prompts/list</c>): what a
    /// composer's <c>/</c> offers. Result: <c>{prompts: [{server, serverTitle, name, title?, description?, arguments:
    /// [{name, title?, description?, required}]}], unavailable: [{server, title, reason}]}</c>.
    /// </summary>
    public static readonly RequestType<EmptyParams, McpPromptsResult> McpPrompts =
        new("mcp/prompts", () => Json.EmptyParams, () => Json.McpPromptsResult);

    /// <summary>
    /// Params: <c>{server, name, arguments?}</c> (argument values as strings). The prompt's messages with the
    /// arguments filled in (<c>prompts/get</c>), each as text. Result: <c>{description?, messages: [{role, text}]}</c>.
    /// Errors: -33005 when the server cannot be reached or refuses (a missing required argument: its message says which).
    /// </summary>
    public static readonly RequestType<McpGetPromptParams, McpGetPromptResult> McpGetPrompt =
        new("mcp/getPrompt", () => Json.McpGetPromptParams, () => Json.McpGetPromptResult);

    /// <summary>
    /// Sidecar → client: an MCP server asks the user for some values during a tool call (MCP elicitation, form
    /// mode). Params: <c>{server, title, message, requestedSchema}</c>: a flat object schema of string, number, integer,
    /// boolean and enum properties. Result: <c>{action: "accept" | "decline" | "cancel", content?}</c>, the values by
    /// property name with <c>accept</c>. An error or no client counts as <c>cancel</c>.
    /// </summary>
    public static readonly RequestType<McpElicitParams, McpElicitResult> McpElicit =
        new("mcp/elicit", () => Json.McpElicitParams, () => Json.McpElicitResult, Direction.SidecarToClient);

    /// <summary>
    /// Sidecar → client: before a server of an MCP file starts, a value its file asks for (<c>${input:id}</c>) that
    /// the vault does not hold. Params: <c>{title, file, input, description?, password, ref}</c>. The client asks the
    /// user once (masked when <c>password</c>) and stores the answer with <c>vault/store</c> at <c>ref</c>. Result:
    /// <c>{stored}</c>; false (the user dismissed it), an error or no client: the server does not start, and says why.
    /// </summary>
    public static readonly RequestType<McpInputParams, McpInputResult> McpInput =
        new("mcp/input", () => Json.McpInputParams, () => Json.McpInputResult, Direction.SidecarToClient);

    // VS Code's Language Model API, both ways: the client's models as a provider (lm/models, lm/chat, lm/chatPart),
    // and Plue's instances as models of VS Code's picker (lm/instanceModels, lm/respond, lm/responsePart).

    /// <summary>
    /// Sidecar → client: the chat models VS Code's Language Model API offers (<c>vscode.lm.selectChatModels</c>).
    /// Params: <c>{vendor?}</c>. Result: <c>{models: [{id, name, vendor, family?, maxInputTokens?}]}</c>; a client
    /// without the API answers an error, which the provider reports.
    /// </summary>
    public static readonly RequestType<LmModelsParams, LmModelsResult> LmModels =
        new("lm/models", () => Json.LmModelsParams, () => Json.LmModelsResult, Direction.SidecarToClient);

    /// <summary>
    /// Sidecar → client: ask one of VS Code's models (a <c>vscode-lm</c> instance's chat turn). Params:
    /// <c>{requestId, modelId, messages, tools?, justification?}</c>. The client sends the answer's parts as
    /// <c>lm/chatPart</c> notifications, then answers <c>{inputTokens?, outputTokens?}</c>. VS Code asks the user's
    /// consent itself; a refusal or a model that is gone is an error whose message says so. Cancelling the turn sends
    /// <c>$/cancelRequest</c>, which cancels the model's request.
    /// </summary>
    public static readonly RequestType<LmChatParams, LmChatResult> LmChat =
        new("lm/chat", () => Json.LmChatParams, () => Json.LmChatResult, Direction.SidecarToClient);

    /// <summary>Client → sidecar: <c>{requestId, part}</c>, one part (text or tool call) of the answer to an <c>lm/chat</c>, in order.</summary>
    public static readonly NotificationType<LmPartParams> LmChatPart =
        new("lm/chatPart", () => Json.LmPartParams, Direction.ClientToSidecar);

    /// <summary>
    /// No params. Result: <c>{models: [{instanceId, instanceName, modelId, modelName, contextWindow?, maxOutput?,
    /// supportsImages}]}</c>: the models of every enabled, usable instance that is not itself VS Code's
    /// (<c>vscode-lm</c>), which the client offers in VS Code's model picker.
    /// </summary>
    public static readonly RequestType<EmptyParams, LmInstanceModelsResult> LmInstanceModels =
        new("lm/instanceModels", () => Json.EmptyParams, () => Json.LmInstanceModelsResult);

    /// <summary>
    /// Params: <c>{requestId, instanceId, modelId, messages, tools?}</c>: a conversation another extension sends to a
    /// Plue model through VS Code. The instance's backend answers it (its vault key, retries, timeouts); its parts
    /// stream as <c>lm/responsePart</c>. Result: <c>{usage, costUsd?}</c>. Errors: -33001 unknown instance, -32602
    /// a <c>vscode-lm</c> instance, no messages, a <c>requestId</c> already being answered, or params nested more
    /// than 64 levels deep (as for every request), provider errors as in <c>session/send</c>.
    /// </summary>
    public static readonly RequestType<LmRespondParams, LmRespondResult> LmRespond =
        new("lm/respond", () => Json.LmRespondParams, () => Json.LmRespondResult);

    /// <summary>Sidecar → client: <c>{requestId, part}</c>, one part (text or tool call) of the answer to an <c>lm/respond</c>, in order.</summary>
    public static readonly NotificationType<LmPartParams> LmResponsePart =
        new("lm/responsePart", () => Json.LmPartParams);
}
