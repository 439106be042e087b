/**
 * The sidecar's wire types, written by hand after server/Protocol, and three
 * method maps at the end (`ClientRequests`, `SidecarNotifications`,
 * `SidecarRequests`) that type `Sidecar.request` and `Sidecar.onNotification`.
 * No runtime imports: the webview may import its types.
 */
/**
 * Options the extension sends in `initialize.initializationOptions`.
 */
export interface PlueInitializationOptions {
	/** Overrides the sidecar's home folder (default `~/.plue`); taken from `PLUE_HOME`. */
	plueHome?: string;
	/** Base64 of the 32-byte vault master key kept in VS Code SecretStorage. Never logged. */
	vaultKey?: string;
	/** File-system paths of the window's workspace folders. */
	workspaceFolders?: string[];
	/** Whether the workspace is trusted; untrusted ones get no workspace templates, prompts or CLI paths. */
	trusted?: boolean;
}

/**
 * The result of `plue/status`.
 */
export interface StatusResult {
	/** The sidecar's version, the same as `serverInfo.version`. */
	version: string;
	/** The sidecar's operating-system process id. */
	pid: number;
	/** The absolute home folder the sidecar stores its data in. */
	plueHome: string;
	/** Milliseconds since the sidecar process started. */
	uptimeMs: number;
}

// ---------------------------------------------------------------- Providers

/** One entry of `catalog/list`: a provider the sidecar knows from its catalog. */
export interface CatalogProviderSummary {
	id: string;
	name: string;
	/** The backend kind: anthropic, openai, openai-compatible, openrouter, ollama, claude-code, ... */
	type: string;
	/** Null where there is no public default (Azure, the claude CLI). */
	defaultEndpoint: string | null;
	modelCount: number;
	/** `shipped` or `user`. */
	source: string;
	/** False when the sidecar has no backend for it yet: do not offer it for chat. */
	supported: boolean;
}

/** USD per 1M tokens; null means unknown, never free. */
export interface ModelPrices {
	input: number | null;
	output: number | null;
	cacheRead: number | null;
	cacheWrite: number | null;
}

/** One model of a catalog provider or an instance (`catalog/models`, `instances/models`). */
export interface CatalogModel {
	id: string;
	name: string;
	/** Tokens of context, input plus output; null when unknown. */
	contextWindow: number | null;
	/** The default output budget; null when unknown. */
	maxOutput: number | null;
	prices?: ModelPrices | null;
	canReason?: boolean | null;
	reasoningLevels?: string[] | null;
	supportsAttachments?: boolean | null;
}

/** Params of `catalog/models`. */
export interface CatalogModelsParams {
	providerId: string;
}

/** How a failed provider call is retried. Always both members in a result; either may be left out in params. */
export interface RetryPolicy {
	/** Retries after the first attempt; 0 turns retries off. */
	maxAttempts?: number;
	/** The first wait; later waits grow from it. */
	baseDelayMs?: number;
}

/** Narrows the models an instance offers; it never adds one. Every member optional. */
export interface ModelFilter {
	/** USD per 1M input tokens; models of unknown price pass. */
	maxInputPrice?: number | null;
	minContextWindow?: number | null;
	/** When not empty, only these model ids. */
	allow?: string[] | null;
	/** Never these model ids. */
	deny?: string[] | null;
}

/** A configured provider: a catalog provider plus endpoint, key reference and limits. Never holds the key. */
export interface ProviderInstance {
	/** `env:<provider>` for instances made from environment variables. */
	id: string;
	slug: string;
	/** `codex://providers/<slug>`, the instance's reference for other records; null for an environment instance. */
	ref: string | null;
	/** Optimistic-concurrency version: `instances/update` must send the one it read; 0 (read-only) for an environment instance. */
	version: number;
	displayName: string;
	catalogProviderId: string;
	/** The catalog's backend kind; null when the catalog no longer has the provider. */
	providerType: string | null;
	/** The endpoint in effect: the override, else the catalog default. */
	endpoint: string | null;
	/** Set when the user chose an endpoint other than the catalog's. */
	endpointOverride?: string | null;
	timeoutMs: number;
	firstByteTimeoutMs: number;
	retry: RetryPolicy;
	enabled: boolean;
	modelFilter: ModelFilter;
	defaultModel?: string | null;
	/** The claude CLI an instance of the claude-code provider runs. */
	cliPath?: string | null;
	/** `vault://<provider>/<key>`. */
	apiKeyRef?: string | null;
	/** Whether a key is available (vault or environment). */
	hasKey: boolean;
	fromEnvironment: boolean;
	/** The environment variable an environment instance reads its key from. */
	envVar?: string | null;
}

/** Params of `instances/create`. Send `apiKey` (stored in the vault by the sidecar) or `apiKeyRef`, not both. */
export interface CreateInstanceParams {
	displayName: string;
	catalogProviderId: string;
	/** Empty or absent uses the catalog default. */
	endpoint?: string;
	timeoutMs?: number;
	retry?: RetryPolicy;
	/** A secret: redacted from traces, never logged. */
	apiKey?: string;
	apiKeyRef?: string;
	modelFilter?: ModelFilter;
	defaultModel?: string;
}

/** Params of `instances/update`: the fields to change, with the version last read. */
export interface UpdateInstanceParams {
	id: string;
	version: number;
	displayName?: string;
	/** An empty string restores the catalog default (likewise for apiKeyRef and defaultModel). */
	endpoint?: string;
	timeoutMs?: number;
	retry?: RetryPolicy;
	/** A secret: stored in the vault at the instance's own ref. */
	apiKey?: string;
	apiKeyRef?: string;
	modelFilter?: ModelFilter;
	defaultModel?: string;
	enabled?: boolean;
}

/** Params naming one instance. */
export interface InstanceIdParams {
	id: string;
}

/** Params of `instances/setEnabled`. */
export interface SetInstanceEnabledParams {
	id: string;
	enabled: boolean;
}

/** The result of `instances/test`: one real call to the provider (its model list). */
export interface TestInstanceResult {
	ok: boolean;
	latencyMs: number;
	modelCount?: number | null;
	/** What went wrong, in the provider's or the network's words. */
	error?: string | null;
}

// ---------------------------------------------------------------- Vault

/** Params of `vault/store`. `value` is a secret: redacted from traces, never logged. */
export interface VaultStoreParams {
	/** `vault://<provider>/<key>`. */
	ref: string;
	value: string;
}

/** Params naming one vault entry. */
export interface VaultRefParams {
	ref: string;
}

/** The result of `vault/has`. */
export interface VaultHasResult {
	exists: boolean;
}

// ---------------------------------------------------------------- Permissions

/** `permission/request` (sidecar → extension): may an agent or a backend run this tool? Ask the user. */
export interface PermissionRequestParams {
	taskId?: string;
	sessionId?: string;
	tool: string;
	input: unknown;
	/** What the call will do, in words: "Run: npm test", "Write src/a.ts". */
	reason?: string;
}

export type PermissionDecision = 'allow' | 'allowAlways' | 'deny';

/**
 * The user's answer. With `allowAlways`, `scope` says for how long: `task` (the default) for the rest of
 * the task, in memory; `workspace` for this set of workspace folders, persisted until `permissions/reset`.
 * In an untrusted workspace nothing is remembered: allowAlways counts as allow.
 */
export interface PermissionRequestResult {
	decision: PermissionDecision;
	/** Told to the model, e.g. why the user said no. */
	message?: string;
	scope?: 'task' | 'workspace';
}

/** The tools allowed always for one set of workspace folders. */
export interface WorkspacePermissions {
	/** Absolute paths, sorted. */
	folders: string[];
	tools: string[];
	/** True for this window's workspace. */
	current: boolean;
}

export interface TaskPermissions {
	taskId: string;
	tools: string[];
}

export interface PermissionsListResult {
	workspaces: WorkspacePermissions[];
	tasks: TaskPermissions[];
}

/** With `taskId`, that task's answers; else those of `folders` (default: this workspace). `tool` narrows to one tool. */
export interface PermissionsResetParams {
	taskId?: string;
	folders?: string[];
	tool?: string;
}

/** What `auth/claudeCode` found out about the `claude` CLI (`claude --version`, `claude auth status --json`). */
export interface ClaudeCodeAuthResult {
	installed: boolean;
	/** The CLI that was asked. */
	path?: string;
	version?: string;
	loggedIn: boolean;
	/** none, api_key, oauth_token, claude.ai or third_party. */
	authMethod?: string;
	/** Why the CLI could not be asked, when it could not. */
	error?: string;
}

// ---------------------------------------------------------------------------
// Chat: sessions, messages and their streaming notifications.
// ---------------------------------------------------------------------------

/** Token counts of a message, a step or a whole session. */
export interface Usage {
	input: number;
	output: number;
	cacheRead: number;
	cacheWrite: number;
	reasoning: number;
}

/** A line range, 1-based and inclusive. */
export interface LineRange {
	startLine: number;
	endLine: number;
}

/** A chat session (a "User Chat" channel). */
export interface Session {
	id: string;
	/** A short readable id, unique among sessions. */
	slug: string;
	title: string;
	/** The provider instance the session talks to. */
	instanceId: string;
	modelId: string;
	/** A prompt-library reference used as the system prompt. */
	systemPromptRef?: string;
	/** `active` while a reply is being generated. */
	status: 'idle' | 'active' | 'archived';
	usage: Usage;
	/** Total cost in US dollars; null or absent when a price is unknown (never shown as 0). */
	costUsd?: number | null;
	messageCount: number;
	/** The model's context window in tokens, when the catalog knows it. */
	contextWindow?: number;
	/** How much of the context window the conversation fills now: the latest answer's prompt tokens. */
	contextTokens?: number;
	/** Whether the model takes images, as the catalog says; null when the catalog does not know the model. */
	supportsAttachments?: boolean | null;
	/** ISO 8601 timestamps. */
	createdAt: string;
	updatedAt: string;
}

export type PartKind = 'text' | 'reasoning' | 'file' | 'tool_use' | 'tool_result' | 'step';

/** One part of a message: text, reasoning, an attached file, a tool call or its result, a step's accounting. */
export interface Part {
	id: string;
	kind: PartKind;
	/** `text` and `reasoning`: the (markdown) text. */
	text?: string;
	/** `reasoning`: the provider's opaque signature, kept for replay. */
	signature?: string;
	/** `file`: the workspace path, its content, language and line range. */
	path?: string;
	content?: string;
	language?: string;
	range?: LineRange;
	/** `file`: an image's type (`image/png`…); its `content` is then the base64 bytes. */
	mimeType?: string;
	/** `tool_use` / `tool_result`: the call's id, the tool's name and input. */
	toolCallId?: string;
	name?: string;
	input?: unknown;
	state?: 'pending' | 'running' | 'completed' | 'error';
	output?: string;
	isError?: boolean;
	/** `step`: the step's usage, cost (null: unknown), model and latency. */
	usage?: Usage;
	costUsd?: number | null;
	model?: string;
	latencyMs?: number;
}

export interface Message {
	id: string;
	sessionId: string;
	/** Its place in the session (superseded messages keep theirs, so there may be gaps). */
	seq: number;
	role: 'user' | 'assistant';
	status: 'complete' | 'streaming' | 'cancelled' | 'interrupted' | 'error';
	/** Why the message failed, when `status` is `error`. */
	error?: string;
	parts: Part[];
	usage?: Usage;
	/** null: a price is unknown. */
	costUsd?: number | null;
	modelId?: string;
	createdAt: string;
}

/** Context the user attaches to a message. */
export interface Attachment {
	kind: 'file' | 'selection' | 'image';
	path: string;
	content?: string;
	language?: string;
	range?: LineRange;
	mimeType?: string;
	/** `image`: base64 data. */
	data?: string;
}

export interface SessionIdParams {
	id: string;
}

export interface SessionCreateParams {
	instanceId: string;
	modelId: string;
	title?: string;
	systemPromptRef?: string;
}

export interface SessionListParams {
	/** Whether to list archived sessions. */
	archived?: boolean;
}

export interface SessionMessagesParams {
	id: string;
	/** At most this many messages, the latest ones (before `beforeSeq`); every message when left out. */
	limit?: number;
	/** Only messages with a lower seq: the seq of the oldest message the client holds. */
	beforeSeq?: number;
}

export interface SessionMessagesResult {
	/** Oldest first. */
	messages: Message[];
	/** Whether older messages than the first one exist. */
	hasMore: boolean;
}

export interface SessionRenameParams {
	id: string;
	title: string;
}

export interface SessionArchiveParams {
	id: string;
	archived: boolean;
}

export interface SessionDeleteResult {
	deleted: boolean;
}

export interface SessionSetModelParams {
	id: string;
	instanceId: string;
	modelId: string;
}

export interface SessionSendParams {
	sessionId: string;
	text: string;
	attachments?: Attachment[];
}

export interface SessionRefParams {
	sessionId: string;
}

export interface SessionCancelResult {
	cancelled: boolean;
}

export interface SessionEditAndResendParams {
	sessionId: string;
	/** A user message; it and everything after it are replaced. */
	messageId: string;
	text: string;
}

export interface SessionForkParams {
	sessionId: string;
	/** The last message copied into the new session. */
	messageId: string;
}

export interface PartDeltaParams {
	sessionId: string;
	messageId: string;
	partId: string;
	kind: PartKind;
	/** Text to append to the part; a new partId starts a new part. */
	delta: string;
}

export interface MessageUpdatedParams {
	message: Message;
}

export interface SessionUpdatedParams {
	session: Session;
}

// ---------------------------------------------------------------- Templates

/** One entry of `templates/list`: a template file, usable or not. */
export interface TemplateSummary {
	id: string;
	name: string;
	description: string;
	version: number;
	/** The template this one inherits from, if any (`task-orchestrator` → `task`). */
	parentTemplate?: string | null;
	/** Where the file comes from: shipped, home or workspace. */
	source: string;
	file: string;
	/** False when a file of a later source replaces this one. */
	active: boolean;
	/** `file:line:column: message` for each problem; empty when the template is fine. */
	problems: string[];
	usable: boolean;
}

// ---------------------------------------------------------------- Agents

/** Where a task is in its life. */
export type TaskStatus = 'queued' | 'running' | 'waiting-approval' | 'paused' | 'completed' | 'failed' | 'cancelled';

/** The tool call a task waits on the user for, while its status is `waiting-approval`. */
export interface PendingApproval {
	tool: string;
	input?: unknown;
	reason?: string | null;
}

/** An agent task: a codex made from a task template plus its live state and what its subtree spent. */
export interface AgentTask {
	id: string;
	slug: string;
	/** `codex://tasks/<slug>`. */
	ref: string;
	version: number;
	templateId: string;
	title: string;
	goal: string;
	/** The task that spawned this one; absent for a task the user started. */
	parentId?: string | null;
	/** 0 for a task the user started; a sub-task is its parent's depth + 1. */
	depth: number;
	status: TaskStatus;
	/** Why the task is in its status, in words for the user: the error, the cap reached, "Interrupted". */
	statusReason?: string | null;
	instanceId: string;
	modelId: string;
	availableTools: string[];
	/** This task's own model calls. */
	usage: Usage;
	/** null when any call's price is unknown: never shown as 0. */
	costUsd?: number | null;
	/** This task and every task below it. */
	totalUsage: Usage;
	/** null when any price in the subtree is unknown. */
	totalCostUsd?: number | null;
	spendCapUsd?: number | null;
	turns: number;
	maxTurns: number;
	childCount: number;
	pendingApproval?: PendingApproval | null;
	/** The task's final report, once it has one. */
	result?: string | null;
	/** ISO 8601 timestamps. */
	createdAt: string;
	startedAt?: string | null;
	finishedAt?: string | null;
	/** Time spent running, summed over runs (a resumed task adds to it). */
	elapsedMs: number;
}

/** Params of `task/start`. */
export interface TaskStartParams {
	/** `task` or a template inheriting from it. */
	templateId: string;
	/** Absent: the sidecar makes one from the prompt. */
	title?: string;
	/** The goal, in the user's words. */
	prompt: string;
	/** The provider instance: its id, `codex://providers/<slug>` or `env:<provider>`. */
	providerRef?: string;
	modelId?: string;
	parentId?: string;
	/** More template fields (limits, tools narrowed, auto_approve...), validated by the template. */
	fields?: Record<string, unknown>;
}

/** Params of `task/list`. */
export interface TaskListParams {
	/** Only the children of this task; absent: every task. */
	parentId?: string;
}

/** Params naming one task. */
export interface TaskIdParams {
	id: string;
}

/** Params of `task/steer`. */
export interface TaskSteerParams {
	id: string;
	text: string;
}

/** Params of `task/resume`. */
export interface TaskResumeParams {
	id: string;
	/** A paused task (its spend cap reached) may be given a higher cap. */
	spendCapUsd?: number;
}

export interface TaskUpdatedParams {
	task: AgentTask;
}

// ---------------------------------------------------------------- Codex records

/** A codex: a record whose `fields` its template validates (docs/TEMPLATES.md). */
export interface CodexRecord {
	id: string;
	templateId: string;
	/** The codex:// collection; slugs are unique within it. */
	collection: string;
	slug: string;
	title: string;
	fields: Record<string, unknown>;
	tags: string[];
	parentId?: string | null;
	spawnedBy?: string | null;
	status?: string | null;
	/** Bumped by every change; an update names the version it read. */
	version: number;
	createdAt: string;
	updatedAt: string;
	/** `codex://<collection>/<slug>`. */
	ref: string;
}

/** Params of `codex/list`. */
export interface CodexListParams {
	templateId?: string;
	tags?: string[];
	/** updatedDesc (default), updatedAsc, createdDesc, createdAsc, titleAsc. */
	sort?: string;
	limit?: number;
	cursor?: string;
}

export interface CodexListResult {
	items: CodexRecord[];
	nextCursor?: string | null;
}

/** Params of `codex/create`. An invalid field fails with -32602 and `data.fields` ({field: message}). */
export interface CodexDraft {
	templateId: string;
	title: string;
	fields?: Record<string, unknown>;
	tags?: string[];
	/** Absent: made from the title. A slug taken in the collection is an invalid field. */
	slug?: string;
}

/** Params of `codex/update`: the changes, at the version last read. A field set to null is removed. */
export interface CodexChange {
	id: string;
	version: number;
	fields?: Record<string, unknown>;
	title?: string;
	tags?: string[];
	status?: string;
}

/** Params naming one record. */
export interface CodexIdParams {
	id: string;
}

// ---------------------------------------------------------------- MCP servers

/** One tool an MCP server offers. */
export interface McpToolSummary {
	/** The server's own name for it. */
	name: string;
	/** The name grants and models use: `mcp__<server>__<tool>`. */
	agentName: string;
	description?: string | null;
}

export interface McpToolsResult {
	/** The server's slug. */
	server: string;
	tools: McpToolSummary[];
}

/** The sidecar's error codes the extension tells apart (server/Rpc/ErrorCodes.cs). */
export const ErrorCodes = {
	invalidParams: -32602,
	notFound: -33001,
	conflict: -33002,
	mcpServerError: -33005,
} as const;

// ---------------------------------------------------------------- Method maps

/** Requests the extension sends: method → [params, result] (`void` params: none are sent). */
export interface ClientRequests {
	/**
	 * `plue/status`: the sidecar's version, process and home. Valid once initialized.
	 */
	'plue/status': [void, StatusResult];
	/**
	 * `catalog/list`: every catalog provider, shipped and user-defined.
	 */
	'catalog/list': [void, CatalogProviderSummary[]];
	/**
	 * `catalog/models`: a catalog provider's models.
	 */
	'catalog/models': [CatalogModelsParams, CatalogModel[]];
	/** `instances/create`: adds an instance; the result never holds the key. */
	'instances/create': [CreateInstanceParams, ProviderInstance];
	/** `instances/list`: saved instances and the environment's. */
	'instances/list': [void, ProviderInstance[]];
	/** `instances/get`: one instance. */
	'instances/get': [InstanceIdParams, ProviderInstance];
	/** `instances/update`: changes fields; fails when `version` is stale. */
	'instances/update': [UpdateInstanceParams, ProviderInstance];
	/** `instances/delete`: removes an instance (not its vault key). */
	'instances/delete': [InstanceIdParams, unknown];
	/** `instances/setEnabled`: turns an instance on or off. */
	'instances/setEnabled': [SetInstanceEnabledParams, ProviderInstance];
	/** `instances/test`: calls the provider once and reports latency and model count, or the error. */
	'instances/test': [InstanceIdParams, TestInstanceResult];
	/** `instances/models`: the instance's models (discovered and catalog). */
	'instances/models': [InstanceIdParams, CatalogModel[]];
	/** `vault/store`: encrypts and stores a secret under `ref`, replacing any there. */
	'vault/store': [VaultStoreParams, VaultRefParams];
	/** `vault/delete`: removes a secret. */
	'vault/delete': [VaultRefParams, unknown];
	/** `vault/has`: whether a secret exists (never its value). */
	'vault/has': [VaultRefParams, VaultHasResult];
	/** `vault/list`: the refs stored (never the values). */
	'vault/list': [void, string[]];
	/** `permissions/list`: every remembered allow-always, per workspace (persisted) and per running task. */
	'permissions/list': [void, PermissionsListResult];
	/** `permissions/reset`: forgets allow-always answers; `removed` counts the tools forgotten. */
	'permissions/reset': [PermissionsResetParams, { removed: number }];
	/** `auth/claudeCode`: is the Claude Code CLI installed, and logged in? */
	'auth/claudeCode': [void, ClaudeCodeAuthResult];
	/** `session/create`: a new, empty session. */
	'session/create': [SessionCreateParams, Session];
	/** `session/list`: the sessions. */
	'session/list': [SessionListParams, Session[]];
	/** `session/get`: one session. */
	'session/get': [SessionIdParams, Session];
	/** `session/messages`: a session's messages, oldest first, or one page of them. */
	'session/messages': [SessionMessagesParams, SessionMessagesResult];
	/** `session/rename`: sets a session's title. */
	'session/rename': [SessionRenameParams, Session];
	/** `session/archive`: archives or restores a session. */
	'session/archive': [SessionArchiveParams, Session];
	/** `session/delete`: deletes a session and its messages. */
	'session/delete': [SessionIdParams, SessionDeleteResult];
	/** `session/setModel`: switches the instance and model for the next replies. */
	'session/setModel': [SessionSetModelParams, Session];
	/**
	 * `session/send`: adds a user message and generates the reply, streaming it as
	 * `session/partDelta` / `session/messageUpdated`; resolves to the finished assistant message.
	 */
	'session/send': [SessionSendParams, Message];
	/** `session/cancel`: stops the reply being generated. */
	'session/cancel': [SessionRefParams, SessionCancelResult];
	/** `session/regenerate`: replaces the last assistant message with a new reply. */
	'session/regenerate': [SessionRefParams, Message];
	/** `session/editAndResend`: edits a user message and generates a new reply. */
	'session/editAndResend': [SessionEditAndResendParams, Message];
	/** `session/fork`: a new session holding the messages up to `messageId`. */
	'session/fork': [SessionForkParams, Session];
	/** `templates/list`: every template file the sidecar found. */
	'templates/list': [void, TemplateSummary[]];
	/** `task/start`: creates a task, queued; it runs in the background and reports through `task/updated`. */
	'task/start': [TaskStartParams, AgentTask];
	/** `task/list`: tasks, every one or one task's children. */
	'task/list': [TaskListParams, AgentTask[]];
	/** `task/get`: one task. */
	'task/get': [TaskIdParams, AgentTask];
	/** `task/messages`: a task's transcript, like `session/messages`; live deltas come as `session/partDelta` with the task id as `sessionId`. */
	'task/messages': [SessionMessagesParams, SessionMessagesResult];
	/** `task/interrupt`: stops the task and its whole subtree, answering once they have stopped; partial transcripts are kept. */
	'task/interrupt': [TaskIdParams, AgentTask];
	/** `task/steer`: adds a user message to a running task; the model reads it on its next turn. */
	'task/steer': [TaskSteerParams, AgentTask];
	/** `task/resume`: continues a cancelled, paused or failed task. */
	'task/resume': [TaskResumeParams, AgentTask];
	/** `codex/list`: records, filtered and sorted. */
	'codex/list': [CodexListParams, CodexListResult];
	/** `codex/get`: one record. */
	'codex/get': [CodexIdParams, CodexRecord];
	/** `codex/create`: a new record, validated by its template. */
	'codex/create': [CodexDraft, CodexRecord];
	/** `codex/update`: fails with a conflict (-33002) when `version` is stale. */
	'codex/update': [CodexChange, CodexRecord];
	/** `codex/delete`: removes a record (undoable with codex/undo). */
	'codex/delete': [CodexIdParams, { deleted: boolean }];
	/**
	 * `mcp/tools`: starts an mcp-server record's server as configured (disabled or not), lists its tools and stops it.
	 * A server that cannot start fails with {@link ErrorCodes.mcpServerError} and says why.
	 */
	'mcp/tools': [CodexIdParams, McpToolsResult];
}

/** Notifications the sidecar sends: method → params. */
export interface SidecarNotifications {
	/** `session/partDelta` (sidecar → extension): text streamed into a part. */
	'session/partDelta': PartDeltaParams;
	/** `session/messageUpdated` (sidecar → extension): a message's full new state. */
	'session/messageUpdated': MessageUpdatedParams;
	/** `session/updated` (sidecar → extension): a session's usage, cost, status or title changed. */
	'session/updated': SessionUpdatedParams;
	/** `task/updated` (sidecar → extension): a task's status, usage, cost or approval changed. */
	'task/updated': TaskUpdatedParams;
}

/** Requests the sidecar sends the extension: method → [params, result]. */
export interface SidecarRequests {
	'permission/request': [PermissionRequestParams, PermissionRequestResult];
}
