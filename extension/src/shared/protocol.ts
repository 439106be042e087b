// Generated from server/Protocol by `npm run contract`; do not edit.
/**
 * The sidecar's JSON-RPC contract (docs/PROTOCOL.md): every wire type, the methods in four maps, the error codes.
 * A member marked `?` may be absent from the JSON; `| null` means the key is there and may hold null.
 * A method that takes no params has `void` for them.
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
	[key: string]: JsonValue;
}

/** A date and time as ISO 8601 with its offset, e.g. `2026-05-01T09:30:00.123+00:00`. */
export type IsoDateTime = string;

/** LSP `initialize` params; only the members the sidecar uses are typed. */
export interface InitializeParams {
	/** The client's pid: the sidecar exits when that process dies. */
	processId?: number;
	clientInfo?: ClientInfo;
	initializationOptions?: InitializationOptions;
	/** Kept so LSP clients' extra members never fail binding. */
	capabilities?: JsonValue;
}

export interface ClientInfo {
	name: string;
	version?: string;
}

export interface InitializationOptions {
	plueHome?: string;
	/** A vault master key the client kept (base64); never logged, never echoed. The home's own key (PLUE_VAULT_KEY, else $PLUE_HOME/vault.key) comes first: this one opens a vault.bin written with it, and becomes the home's key file when the home has none, so the command line opens that vault too. */
	vaultKey?: string;
	workspaceFolders?: string[];
	trusted?: boolean;
}

export interface InitializeResult {
	capabilities: ServerCapabilities;
	serverInfo: ServerInfo;
}

/** The sidecar is no language server: capabilities list the RPC areas it serves. */
export interface ServerCapabilities {
	areas: string[];
}

export interface ServerInfo {
	name: string;
	version: string;
}

/** `plue/status` result. */
export interface StatusResult {
	version: string;
	pid: number;
	plueHome: string;
	uptimeMs: number;
	/** Where the vault's master key is; absent while the sidecar is still starting. */
	vaultKey?: VaultKeyLocation;
	/** Whether what the agent runs is sandboxed, and why not. */
	sandbox?: SandboxStatus;
}

/** Where the vault's master key is, as `plue/status` tells it. */
export interface VaultKeyLocation {
	store: VaultKeyStore;
	/** In words, for Show Status and `plue status`: where it is and, for the file, why no keychain. */
	description: string;
}

/**
 * Where the vault's master key is kept.
 *
 * - `keychain`: The OS keychain (the Secret Service, the macOS Keychain, the Windows Credential Manager), one entry per home.
 * - `file`: `$PLUE_HOME/vault.key` (0600): no keychain answers here (a container, a headless server, no D-Bus).
 * - `environment`: `PLUE_VAULT_KEY`, which wins over both.
 */
export type VaultKeyStore = 'keychain' | 'file' | 'environment';

/** Whether the commands the agent runs are sandboxed here (docs/SANDBOX.md), under which policy, and why not. */
export interface SandboxStatus {
	active: boolean;
	/** The workspace's policy as the user reads it: "Workspace write (home hidden, no network)". */
	policy: string;
	/** Why it is not active, with what to do (install bubblewrap); absent when it is. */
	reason?: string;
	/** The exact commands that make it work here, when the system has a known narrow fix (Ubuntu's AppArmor profile for bwrap). */
	fix?: string;
	/** Active, but the sandbox cannot report its own denials here, and why (they are read from the commands' output); absent when it can. */
	denials?: string;
}

/** `plue/ping`: a liveness and latency probe. `delayMs` holds the answer back (clients use it to check cancellation); `notifications` sends that many `plue/pong` notifications first (benchmarks use it to measure write throughput). */
export interface PingParams {
	delayMs?: number;
	notifications?: number;
}

export interface PingResult {
	uptimeMs: number;
}

/** `plue/pong` notification params. */
export interface PongParams {
	seq: number;
}

/** `templates/list` item: a template file, usable or not. */
export interface TemplateSummary {
	id: string;
	name: string;
	description: string;
	version: number;
	parentTemplate?: string;
	source: string;
	file: string;
	/** False when a file of a later source replaces this one. */
	active: boolean;
	/** `file:line:column: message` for each problem; empty when the template is fine. */
	problems: string[];
	/** The same problems with their positions and severity, for an editor's diagnostics. */
	diagnostics: TemplateDiagnostic[];
	usable: boolean;
	/** The version as written: "1.0.0" or "1". */
	versionText: string;
	/** The template's `metadata` as written (icon, color, ...); null when it has none. */
	metadata?: JsonObject;
	/** The record kind whose feature keeps this template's records: the template id that kind declared, the nearest in the lineage (`task` for every task template, a user's too). Null when the template is not usable or no feature declared a kind for it (its records are plain records). */
	kind?: string;
}

/** One problem in a template file: 1-based line and column, `error` (the template cannot be used) or `warning`. */
export interface TemplateDiagnostic {
	file: string;
	line: number;
	column: number;
	severity: string;
	message: string;
}

/** Params that name one thing by its id: a template, a codex record, a task, a user catalog provider. */
export interface IdParams {
	id: string;
}

/** `templates/get` result: the template with inheritance applied. */
export interface TemplateDetail {
	id: string;
	name: string;
	description: string;
	version: number;
	/** The version as written: "1.0.0" or "1". */
	versionText: string;
	/** The template's `metadata` (icon, color, ...), its parent's when it has none. */
	metadata?: JsonObject;
	parentTemplate?: string;
	collection: string;
	source: string;
	file: string;
	/** The record kind whose feature keeps this template's records: the template id that kind declared, the nearest in the lineage (`task` for every task template, a user's too). Null when no feature declared a kind for it. */
	kind?: string;
	lineage: string[];
	fields: FieldDto[];
	hooks: HookDto[];
}

/** A field spec on the wire: the template file's own names (type "codex_reference", ...). */
export interface FieldDto {
	name: string;
	type: string;
	label?: string;
	description?: string;
	placeholder?: string;
	required: boolean;
	default?: JsonValue;
	locked: boolean;
	conditional?: JsonObject;
	min?: number;
	max?: number;
	step?: number;
	maxLength?: number;
	pattern?: string;
	options?: OptionDto[];
	items?: FieldDto;
	minItems?: number;
	maxItems?: number;
	templateFilter?: string[];
	/** An object field's members. */
	properties?: FieldDto[];
	/** A datetime the sidecar sets to the time of writing when absent. */
	auto: boolean;
	/** What the field is for (a secret, a model id, written by its feature); absent for a plain field. */
	role?: FieldRole;
}

export interface OptionDto {
	value: string;
	label: string;
}

/**
 * What a field is for beyond its type, so a form treats a template's own fields as it treats the shipped ones.
 *
 * - `secret`: A `vault://` reference: a masked box that stores the secret in the vault and never shows it.
 * - `model`: A model id: the box suggests the models of the provider instance the record names.
 * - `instance`: Names a provider instance (`codex://providers/<slug>`, or `env:<provider>` for a key from the environment): the box suggests the instances there are, and the form's model boxes follow the one it names.
 * - `feature-written`: Written by the record's feature (a task's result, a chat's model): left out of forms, and refused to a caller's `codex/create`, `codex/update` and `codex/undo` where the feature declared the template's kind, or checked as the feature's own request checks it (a chat's model). A chat's next message stays the caller's: writing it sends it.
 */
export type FieldRole = 'secret' | 'model' | 'instance' | 'feature-written';

export interface HookDto {
	trigger: string;
	field: string;
	action: string;
	conditions: JsonObject[];
}

/** `templates/validate` params: a template file's path and its text, saved or not. */
export interface TemplateValidateParams {
	file: string;
	text: string;
}

/** `templates/validate` result: what loading that text would report, in that file and in the templates that inherit from it. */
export interface TemplateValidateResult {
	diagnostics: TemplateDiagnostic[];
	/** The template's id when the text would load, else null. */
	id?: string;
}

/** `templates/changed` params: the ids usable after the reload. */
export interface TemplatesChangedParams {
	ids: string[];
}

/** A record to create (also the `codex/create` params). */
export interface CodexDraft {
	templateId: string;
	title: string;
	fields?: JsonObject;
	tags?: string[];
	slug?: string;
	parentId?: string;
	spawnedBy?: string;
	/** The record's status; a kind whose feature writes it refuses it (a task is in a status because it ran: start it with `task/start`). */
	status?: string;
}

/** A codex: a record whose fields a template validates. Also its wire shape. */
export interface CodexRecord {
	id: string;
	templateId: string;
	/** The codex:// collection; slugs are unique within it. */
	collection: string;
	slug: string;
	title: string;
	fields: JsonObject;
	tags: string[];
	parentId?: string;
	spawnedBy?: string;
	status?: string;
	/** Bumped by every change; an update must name the version it read. */
	version: number;
	createdAt: IsoDateTime;
	updatedAt: IsoDateTime;
	/** Set on a record a list found but could not read (its stored fields or tags are not JSON): why, in words. Its fields are then empty: it is listed with its id so it is never lost from sight, and nothing writes over it. */
	unreadable?: string;
	/** The codex:// reference that names this record. */
	ref: string;
}

/** `codex/slug` params: the template a record would be made of, and the title it would have. */
export interface CodexSlugParams {
	templateId: string;
	title: string;
}

/** `codex/slug` result: the slug a record of that title would get now, and its reference. */
export interface CodexSlugResult {
	/** Made by the template's kind's rule (an MCP server's has no dot) and free now; a create may still find it taken meanwhile. */
	slug: string;
	/** `codex://<collection>/<slug>`. */
	ref: string;
}

/** A change to a record at the version the caller read (also the `codex/update` params). */
export interface CodexChange {
	id: string;
	version: number;
	fields?: JsonObject;
	title?: string;
	tags?: string[];
	status?: string;
}

export interface DeletedResult {
	deleted: boolean;
}

/** `codex/list` params. */
export interface CodexListParams {
	templateId?: string;
	tags?: string[];
	spawnedBy?: string;
	parentId?: string;
	status?: string;
	/** updatedDesc (default), updatedAsc, createdDesc, createdAsc, titleAsc. */
	sort?: string;
	limit?: number;
	cursor?: string;
}

export interface CodexListResult {
	items: CodexRecord[];
	nextCursor?: string;
}

/** One change of a record: what it was before and after (null before a create, null after a delete). Undo applies the latest not-yet-undone entry's `before`. */
export interface HistoryEntry {
	seq: number;
	codexId: string;
	/** create, update, delete or undo. */
	action: string;
	version: number;
	before?: CodexRecord;
	after?: CodexRecord;
	undone: boolean;
	at: IsoDateTime;
}

/** `codex/changed`: one committed change to a record, by this process or another on the same home, or a change of its feature's live state (a chat's turn starting, a task's cost moving), told with the record's view as it is now. */
export interface CodexChangedParams {
	id: string;
	/** The root of the record's template lineage: `llm-provider`, `ai-chat`, `task`, `mcp-server`, or a user's own. */
	kind: string;
	templateId: string;
	/** The record as committed; absent when it was deleted. */
	record?: CodexRecord;
	deleted: boolean;
	/** The record as its kind shows it (`view.kind` says which); absent when it was deleted or its kind has no view of its own. */
	view?: RecordView;
}

/**
 * A record as its feature shows it (its kind's typed view, live state included), told with every change of it in `codex/changed`: what `instances/get`, `session/get`, `task/get` or an MCP server's record read would return now. `kind` is the kind's template.
 * Told apart by `kind`.
 */
export type RecordView = ProviderView | ChatView | TaskView | McpServerView | ToolGrantView;

/** An `llm-provider` record as `instances/get` reads it. */
export interface ProviderView {
	kind: 'llm-provider';
	instance: ProviderInstance;
}

/** A provider instance as clients see it: an `llm-provider` codex read through the catalog, or an API key found in the environment (`fromEnvironment`). Never the key itself: `hasKey` says whether there is one. An environment instance's `id` and `ref` are both `env:<catalogProviderId>` (what a chat's provider_ref names it by), its version 0 (it is read-only). */
export interface ProviderInstance {
	id: string;
	slug: string;
	/** The reference other records name it by: `codex://<collection>/<slug>`. */
	ref: string;
	/** The version an update must name; bumped by every change. */
	version: number;
	title: string;
	/** Its `title`, under the name clients have read it by since before every view had one. */
	displayName: string;
	catalogProviderId: string;
	/** The catalog's backend kind; null when the catalog no longer has the provider. */
	providerType: string | null;
	/** The endpoint in effect: the override, else the catalog's default (null for the claude CLI). */
	endpoint: string | null;
	endpointOverride?: string;
	timeoutMs: number;
	firstByteTimeoutMs: number;
	/** The longest gap between bytes of a streamed answer before the endpoint counts as unreachable. */
	stallTimeoutMs: number;
	/** The longest one streamed answer may take, first byte to end, however the server keeps the line alive. */
	answerTimeoutMs: number;
	retry: RetryPolicy;
	enabled: boolean;
	modelFilter: ModelFilter;
	defaultModel?: string;
	/** Whether its models run on the user's machine (Ollama always; any instance the user marks, such as LM Studio or llama.cpp behind an OpenAI-compatible endpoint): their calls cost $0, with cost source `local`. */
	local: boolean;
	/** The context window the user set for this instance's models, in tokens; it wins over the catalog's and the provider's. */
	contextWindow?: number;
	/** Tried in order when a turn on this instance fails before anything was shown (overload, rate limit past retries, unreachable). */
	fallbacks?: ModelFallback[];
	/** claude-code: the claude executable; acp-agent: the agent's command. */
	cliPath?: string;
	/** acp-agent: the command's arguments. */
	cliArgs?: string[];
	/** acp-agent: `NAME=value` lines the agent gets beside the basics; a value may be a vault:// reference. */
	cliEnv?: string[];
	/** acp-agent: the hosts the agent may reach from its sandbox (it has no endpoint to allow). */
	cliAllowedHosts?: string[];
	apiKeyRef?: string;
	/** What the secret is: an API key, or an auth token sent as `Authorization: Bearer`. */
	credential: CredentialKind;
	/** Vertex AI: the Google Cloud project id. */
	project?: string;
	/** Vertex AI: the location (null: global). */
	region?: string;
	/** Bedrock: the AWS profile used when the instance holds no credential. */
	profile?: string;
	/** Azure OpenAI: the `api-version` set on the instance, if any. */
	apiVersion?: string;
	/** Azure OpenAI: model id → deployment name. */
	deployments?: Record<string, string>;
	/** Whether a key is there now: in the vault under `apiKeyRef`, or in `envVar`. */
	hasKey: boolean;
	fromEnvironment: boolean;
	/** The environment variable an environment instance reads at call time. */
	envVar?: string;
	/** The latest `instances/test` of the instance, kept across restarts; absent when it was never tested. */
	lastTest?: InstanceTestResult;
}

/** How a failed request is retried. Always both members in a result; either may be left out in params. */
export interface RetryPolicy {
	/** Retries after the first attempt; 0 turns retries off. */
	maxAttempts?: number;
	/** The first wait; later waits grow from it, and a provider's Retry-After wins. */
	baseDelayMs?: number;
}

/** Narrows the models an instance offers; it never adds one (see Instances.ModelFilterRules). Every member optional. */
export interface ModelFilter {
	/** USD per 1M input tokens; a model of unknown price passes (unknown is not "too expensive"). */
	maxInputPrice?: number;
	minContextWindow?: number;
	/** When not empty, only these model ids. */
	allow?: string[];
	/** Never these model ids. */
	deny?: string[];
}

/** One step of a fallback chain: a provider instance and a model tried when the one before it failed with overload, a rate limit past its retries or an unreachable endpoint, before anything was shown. */
export interface ModelFallback {
	/** The instance: `codex://providers/<slug>`, `env:<provider>` or an instance id. */
	providerRef: string;
	modelId: string;
}

/** What an instance's secret is, which decides how it is sent: an API key (Anthropic `x-api-key`), or an auth token sent as `Authorization: Bearer` (a gateway's or an organisation's token, where Anthropic's wire format is spoken). */
export type CredentialKind = 'apiKey' | 'authToken';

/** `instances/test` result, also kept as the instance's `lastTest`; `error` says what is missing when `ok` is false, and `fix` names what the user changes to mend it. */
export interface InstanceTestResult {
	ok: boolean;
	latencyMs: number;
	modelCount?: number;
	error?: string;
	/** An ACP agent's answer to `initialize`, which its test asks: its name, version and protocol ("Claude Code 0.16.2, ACP protocol 1"). */
	agent?: string;
	/** What mends a failure, when one thing does; absent when the test passed or nothing the user sets would help. */
	fix?: InstanceFix;
	/** When the test ran. */
	testedAt: IsoDateTime;
	/** A digest of the settings the test tried (provider, endpoint, key reference, model, how the key is sent): once they are edited, the test no longer speaks for the instance, which reads as untested until tested again. Absent for instances from the environment. */
	settingsDigest?: string;
}

/**
 * What mends a failed test.
 *
 * - `key`: The key is missing, wrong or revoked (401/403): set another.
 * - `settings`: The endpoint cannot be reached or is not that kind of server (refused, DNS, timeout, 404), or the CLI is missing: edit the instance.
 * - `login`: The claude CLI is not logged in: run `claude login`.
 * - `enable`: The instance is disabled.
 */
export type InstanceFix = 'key' | 'settings' | 'login' | 'enable';

/** An `ai-chat` record as `session/get` reads it. */
export interface ChatView {
	kind: 'ai-chat';
	session: Session;
}

/** A chat session: an ai-chat codex plus what its messages add up to. */
export interface Session {
	id: string;
	slug: string;
	/** The reference other records name it by: `codex://<collection>/<slug>`. */
	ref: string;
	/** The version an update must name; bumped by every change. */
	version: number;
	title: string;
	instanceId: string;
	modelId: string;
	systemPromptRef?: string;
	/** The chat's mode (a `ChatMode`'s id); null for a chat made before modes, which has its own tools only. */
	mode?: string;
	status: SessionStatus;
	usage: TokenUsage;
	/** What the chat has spent, replies that an edit or a regenerate replaced included (money spent stays spent); a fork's copied messages count in the chat they were first paid in, not the fork. A lower bound ("at least") when `costSources` holds `unknown`; null when no reply's cost is known at all: never shown as 0. */
	costUsd: number | null;
	/** Where the figures in `costUsd` came from, each source once; empty before the first reply. */
	costSources: CostSource[];
	messageCount: number;
	contextWindow?: number;
	/** How much of the context window the conversation fills: the latest answer's prompt tokens. */
	contextTokens: number;
	/** Whether the model takes images, as the catalog says; null when the catalog does not know the model. */
	supportsAttachments: boolean | null;
	createdAt: IsoDateTime;
	updatedAt: IsoDateTime;
	/** Set when the chat's record or transcript cannot be read: why. Listed with its id, never dropped; it cannot be opened or sent to. */
	unreadable?: string;
}

/** idle, active (a turn is streaming) or archived. */
export type SessionStatus = 'idle' | 'active' | 'archived';

/** Token counts. Input is every prompt token, cache reads and writes included (they are also counted apart); reasoning is inside output. */
export interface TokenUsage {
	input: number;
	output: number;
	cacheRead: number;
	cacheWrite: number;
	reasoning: number;
	/** True when some counts are estimated from the text sent and streamed (about 4 characters a token), not reported by the provider: a reply stopped or cut before the provider told its usage. Absent when false. */
	estimated?: boolean;
}

/**
 * Where a cost figure came from.
 *
 * - `catalog`: The catalog's prices times the usage the provider reported.
 * - `provider`: The provider's own figure (the claude CLI's `total_cost_usd`, OpenRouter's `usage.cost`).
 * - `local`: A model on the user's machine (Ollama, or an instance marked local): $0.
 * - `estimate`: The catalog's prices times usage estimated from what was sent and streamed (a stopped or cut reply).
 * - `unknown`: No price is known: the cost is null, and a total holding it is a lower bound.
 */
export type CostSource = 'catalog' | 'provider' | 'local' | 'estimate' | 'unknown';

/** A `task` record (or one of a template inheriting from it) as `task/get` reads it. */
export interface TaskView {
	kind: 'task';
	task: AgentTask;
}

/** An agent task: a codex from a task template plus its live state and what its subtree spent. */
export interface AgentTask {
	id: string;
	slug: string;
	/** The reference other records name it by: `codex://<collection>/<slug>`. */
	ref: string;
	/** The version an update must name; bumped by every change. */
	version: number;
	title: string;
	templateId: string;
	goal: string;
	parentId?: string;
	/** 0 for a task the user started; a sub-task is its parent's depth + 1. */
	depth: number;
	status: AgentTaskStatus;
	/** Why the task is in its status, in words for the user: the error, the cap reached, "Interrupted". */
	statusReason?: string;
	instanceId: string;
	modelId: string;
	availableTools: string[];
	/** This task's own model calls. */
	usage: TokenUsage;
	/** A lower bound ("at least") when `costSources` holds `unknown`; null when no call's cost is known: never shown as 0. */
	costUsd: number | null;
	/** Where the figures in `costUsd` came from, each source once. */
	costSources: CostSource[];
	/** This task and every task below it. */
	totalUsage: TokenUsage;
	/** A lower bound when `totalCostSources` holds `unknown`. */
	totalCostUsd: number | null;
	totalCostSources: CostSource[];
	spendCapUsd?: number;
	/** What the spend cap counted, when some call in the tree has no known price: the known cost plus those calls' tokens at the task's `unpriced_usd_per_million`. Shown where the total alone would be unknown or a bare lower bound. */
	capCountedUsd?: number;
	/** Set when the spend cap counts some spending at an assumed price: the task's model has no known price (nor is it local, nor does its provider report a cost), or a call below it had none, so those calls' tokens count at the task's `unpriced_usd_per_million`. In words for the user. */
	spendCapWarning?: string;
	/** Set when the model's server dropped the start of one of the task's prompts (see `PromptTruncation`): what to change. */
	contextWarning?: string;
	turns: number;
	maxTurns: number;
	childCount: number;
	/** The tool call waiting for the user's answer, when status is waiting-approval. */
	pendingApproval?: PendingApproval;
	result?: string;
	/** The sandbox policy its commands run under (its own narrowed by its ancestors'), in words: "Read-only (home hidden, no network)". */
	sandboxPolicy?: string;
	/** What the sandbox denied its calls, each once, in the order first met; null when nothing was. */
	sandboxDenials?: SandboxDenialInfo[];
	/** Set while the task works in its own git worktree: that folder. */
	worktree?: string;
	/** Where it runs: local (this machine, the default) or container (on a Docker engine). */
	runs: string;
	/** Set when it runs in a container: the engine, image, container and limits. */
	container?: TaskContainerInfo;
	/** Files a finished task changed in its worktree, waiting to be reviewed, applied or discarded (`task/changes`). */
	changes?: CheckpointFile[];
	createdAt: IsoDateTime;
	startedAt?: IsoDateTime;
	finishedAt?: IsoDateTime;
	/** Time spent running, summed over runs (a resumed task adds to it). */
	elapsedMs: number;
	/** Set when the task's record or transcript cannot be read: why. Listed with its id, never dropped. */
	unreadable?: string;
}

/** A task's status; `waiting-approval` is live only (the record keeps `running`). */
export type AgentTaskStatus = 'queued' | 'running' | 'waiting-approval' | 'paused' | 'completed' | 'failed' | 'cancelled';

export interface PendingApproval {
	tool: string;
	input?: JsonValue;
	reason?: string;
}

/** One thing the sandbox stopped a tool call from doing: `kind` path (written outside what the policy opens) or host (reached). */
export interface SandboxDenialInfo {
	/** path | host. */
	kind: string;
	/** The full path, or `host:port`. */
	what: string;
}

/** The container a task runs in, on a Docker engine: what the task tree shows beside it. */
export interface TaskContainerInfo {
	/** The engine record's name (its title), as the user named it. */
	engine: string;
	/** The engine record's id (`codex://engines/…`), for calls that reach the container. */
	engineId: string;
	/** The image it was made from. */
	image: string;
	/** The container's short id (12 characters); null until it is made. */
	shortId?: string;
	/** CPUs it may use; null: no limit. */
	cpus?: number;
	/** Memory it may use, in MiB; null: no limit. */
	memoryMb?: number;
	/** Processes it may run at once; null: no limit. */
	pids?: number;
	/** none | allow-list (through the sidecar's proxy) | engine (the engine's own network, remote engines only). */
	network: string;
	/** starting | running | stopped | removed | failed; a swarm job's also waiting (no job runs while the user is asked). */
	state: string;
	/** Runs as a job on a swarm (the engine is a swarm's manager): the job runs its own turns on a node, with the provider key the swarm holds while it runs. */
	swarm: boolean;
	/** On a swarm: the node that runs its job (the node's host name); null elsewhere, and until the swarm places it. */
	node?: string;
	/** On a swarm, when its job ran again because its node was lost: what happened, in the user's words. */
	retried?: string;
	/** What its lost attempts cost (on a swarm), kept in its cost and shown apart; null when none was lost. */
	lostCostUsd?: number;
	/** Set when `state` is failed or stopped: why, in the user's words. */
	reason?: string;
}

/** One file a checkpoint's turn changed: its path in the workspace folder and how (added, modified, deleted). */
export interface CheckpointFile {
	path: string;
	change: CheckpointChange;
}

export type CheckpointChange = 'added' | 'modified' | 'deleted';

/** An `mcp-server` record, typed. */
export interface McpServerView {
	kind: 'mcp-server';
	server: McpServer;
}

/** A configured MCP server: an `mcp-server` record's fields, typed (templates/mcp-server.json5). Its slug names the tools, `mcp__<slug>__<tool>`, and the server's secrets, `vault://mcp/<slug>.<NAME>`: it has no dot. */
export interface McpServer {
	id: string;
	slug: string;
	/** The reference other records name it by: `codex://<collection>/<slug>`. */
	ref: string;
	/** The version an update must name; bumped by every change. */
	version: number;
	title: string;
	/** `stdio`: a program started here; `http`: a remote server at `url`. */
	transport: string;
	/** A remote server's MCP endpoint; absent for a program started on stdio. */
	url?: string;
	/** A remote server's extra headers as written, `Name: value`. */
	headers: string[];
	command: string;
	args: string[];
	/** The program's variables as written: a plain value or a `vault://` reference. */
	env: McpEnvVar[];
	trusted: boolean;
	enabled: boolean;
	/** For a server an MCP file declares (`.vscode/mcp.json`, `.mcp.json`, `.cursor/mcp.json`): the file, as `.vscode/mcp.json` or `~/.cursor/mcp.json`. Such a server is read-only (change its file); its `id` is no record's, its `env` holds names only (and each input's vault reference). Absent for an `mcp-server` record. */
	file?: string;
	/** Why a file's server is not used (an untrusted workspace, a duplicate name...): it is never started. */
	ignored?: string;
	/** The inputs (`${input:id}`) a file's server uses: each asked once and kept in the vault. */
	inputs?: McpServerInput[];
}

/** One environment variable of an MCP server as its record holds it. */
export interface McpEnvVar {
	name: string;
	/** A plain value, or a `vault://` reference resolved when the server starts. */
	value: string;
	/** For a `vault://` value: whether the vault holds it (false too when the vault cannot be opened). */
	stored?: boolean;
}

/** A value a file's MCP server asks for once (`${input:id}`, VS Code's `inputs`), kept in the vault at `ref`. */
export interface McpServerInput {
	id: string;
	description?: string;
	/** Asked in a masked box (VS Code's `password: true`, and any input the file does not declare). */
	password: boolean;
	/** `vault://mcp/<slug>.<id>`. */
	ref: string;
	/** Whether the vault holds it. */
	stored: boolean;
}

/** A `tool-grant` record as its feature shows it. */
export interface ToolGrantView {
	kind: 'tool-grant';
	grant: ToolGrantInfo;
}

/** A `tool-grant` record, typed: a tool (narrowed by a bash command prefix, a write/edit path glob, or one MCP tool) that runs without asking (or is refused, `decision` deny) in a workspace, a chat or a task. Its `title` is what the sidecar named the record by (`bash (workspace)`); `what` says it in words. */
export interface ToolGrantInfo {
	id: string;
	slug: string;
	/** The reference other records name it by: `codex://<collection>/<slug>`. */
	ref: string;
	/** The version an update must name; bumped by every change. */
	version: number;
	title: string;
	/** workspace | chat | task. */
	scope: string;
	tool: string;
	commandPrefix?: string;
	pathGlob?: string;
	/** A host rule's host (`host` or `host:port`): a bash command whose every URL is on it. */
	host?: string;
	/** A grant that widens the sandbox instead of deciding approvals: a path made writable, or a host reachable. */
	sandboxPath?: string;
	sandboxHost?: string;
	/** allow | deny. */
	decision: string;
	/** A workspace grant's folders: full paths, sorted. */
	folders?: string[];
	/** A chat's or task's grant: its id, and its title as the user named it (null when it is gone). */
	ownerId?: string;
	ownerTitle?: string;
	/** The grant in words: `bash `npm test``, `write src/**`. */
	what: string;
	/** A workspace grant of the window's own workspace. */
	current: boolean;
}

/** `codex/undo` result: the record as restored, or null when undo removed it. */
export interface UndoResult {
	record: CodexRecord | null;
}

export interface RefParams {
	ref: string;
}

/** `codex/resolve` result: `kind` "record" or "prompt", and that thing. */
export interface ResolveResult {
	kind: string;
	record?: CodexRecord;
	prompt?: Prompt;
}

/** A prompt with its text. */
export interface Prompt {
	info: PromptInfo;
	content: string;
}

/** A system prompt file: its reference, where it comes from, and its first heading. */
export interface PromptInfo {
	ref: string;
	name: string;
	title: string;
	/** shipped, home or workspace: the one that wins for this name. */
	source: string;
	path: string;
}

/** `customizations/list` result: every customization found, in precedence order (workspace first). */
export interface CustomizationsListResult {
	/** Workspace files first (folder by folder), then the user's; within each, the layouts' precedence order. */
	items: CustomizationItem[];
}

/** `customizations/list` item: one instructions file, skill, command, agent, agent hook or MCP server found in a file. */
export interface CustomizationItem {
	kind: CustomizationKind;
	/** What the user calls it: a skill's or agent's name, a command without its `/`, an MCP server's key, an instructions file's path, a hook's event and matcher. */
	name: string;
	/** The file's own description (front matter), or what it applies to; absent when it says none. */
	description?: string;
	/** The file's absolute path; for a Plue record, its `codex://` reference. */
	source: string;
	scope: CustomizationScope;
	/** The layout it was found in, e.g. `claude-skills`, `github-instructions` (docs/CUSTOMIZATIONS.md); `plue-record` for a record. */
	layout: string;
	status: CustomizationStatus;
	/** Why it is ignored, in words that say what to do; absent when used. */
	reason?: string;
	/** The record's id, for a Plue record (editable, with history); absent for a found file (read-only: Copy to Plue makes a record of it). */
	recordId?: string;
}

/**
 * What a customization file gives an agent (docs/CUSTOMIZATIONS.md has the layouts of each).
 *
 * - `instructions`: Text a turn's system prompt carries: AGENTS.md, CLAUDE.md, scoped rules.
 * - `skill`: A SKILL.md an agent loads on demand.
 * - `command`: A prompt typed as `/name`.
 * - `agent`: A custom agent: its prompt, tools and model.
 * - `agentHook`: An agent hook: a command run at an agent event (not a template's automation hook).
 * - `mcpServer`: An MCP server a file names.
 */
export type CustomizationKind = 'instructions' | 'skill' | 'command' | 'agent' | 'agentHook' | 'mcpServer';

/** Where a customization file was found: a workspace folder, or the user's home. */
export type CustomizationScope = 'workspace' | 'user';

/** Whether a found customization is taken (`used`) or left out (`ignored`, with a reason). */
export type CustomizationStatus = 'used' | 'ignored';

/** `customizations/copy` params: the found file to copy into a Plue record. */
export interface CustomizationCopyParams {
	/** The file's path, as `customizations/list` gives it. */
	source: string;
	/** The item's name, where one file holds several (a hooks file's matcher groups); absent: the file's one item. */
	name?: string;
}

/** `sandbox/refused` notification params: what the sandbox refused a child no chat or task was using at the time (a shared MCP server between calls), told to the window since no card can carry it. */
export interface SandboxRefusedParams {
	/** What the user reads (a toast): the child by its name, what was refused, and what to do. */
	message: string;
	/** The MCP server's name (its record's title). */
	server: string;
	denials: SandboxDenialInfo[];
}

/** One entry of `catalog/list`; also the result of `catalog/create` and `catalog/update`. */
export interface CatalogProviderSummary {
	id: string;
	name: string;
	/** The backend kind: anthropic, openai, openai-compatible, openrouter, ollama, claude-code, or a kept-but-unsupported one. */
	type: string;
	/** Null where there is no public default (Azure, the claude CLI). */
	defaultEndpoint: string | null;
	modelCount: number;
	/** `shipped` or `user` (a custom provider, or a user override of a shipped one). */
	source: string;
	/** False when the sidecar has no backend for it yet; clients should not offer it for chat. */
	supported: boolean;
}

/** `catalog/models` params; the result is the provider's models in catalog shape. */
export interface CatalogModelsParams {
	providerId: string;
}

/** One model of a catalog provider: the file format and the `catalog/models` wire shape. */
export interface CatalogModel {
	id: string;
	name: string;
	/** Tokens of context (input plus output); null when unknown. An int (the largest windows are a few million tokens) because the sidecar already uses int? on the wire, so parsing catalogs JITs no extra generic code. */
	contextWindow: number | null;
	/** The output budget to ask for by default (Catwalk's `default_max_tokens`); null when unknown. */
	maxOutput: number | null;
	/** Absent in a file reads as unknown prices. */
	prices?: ModelPrices;
	canReason?: boolean;
	/** Reasoning efforts the model accepts (low, medium, high, ...); empty when it takes none. */
	reasoningLevels?: string[];
	defaultReasoningEffort: string | null;
	supportsAttachments?: boolean;
}

/** USD per 1M tokens. Null means unknown, never free: cost over an unknown price is unknown. Written explicitly on the wire and in catalog files, so a missing price is visible. */
export interface ModelPrices {
	input: number | null;
	output: number | null;
	/** Input tokens served from the provider's prompt cache. */
	cacheRead: number | null;
	/** Input tokens written to the prompt cache (Anthropic bills 1.25x input for them). */
	cacheWrite: number | null;
}

/** A provider of the catalog: one `catalog/<id>.json` file (shipped or in PLUE_HOME), and the params of `catalog/create` and `catalog/update`. Optional members are nullable because source-generated deserialization resets absent members to their default. */
export interface CatalogProvider {
	/** A slug: lowercase letters, digits, '.', '_' and '-'; also the user file's name. */
	id: string;
	name: string;
	/** The backend kind; see Catalog.ProviderTypes. */
	type: string;
	/** False for kinds the sidecar has no backend for yet (kept so the data is not lost). Absent means true. */
	supported?: boolean;
	/** Why a provider is unsupported or needs care; shown to people. */
	note?: string;
	/** Absolute http(s) base URL; null only where there is no public default (Azure, the claude CLI). */
	defaultEndpoint: string | null;
	/** The environment variable conventionally holding the API key (read, never copied). */
	apiKeyEnv?: string;
	defaultLargeModelId?: string;
	defaultSmallModelId?: string;
	/** Where the data comes from, e.g. `catwalk:anthropic.json@64dad50e`, `plue` or `user`. */
	source?: string;
	models: CatalogModel[];
}

/** `catalog/delete` result: the shipped provider a deleted override gave way to, if any. */
export interface DeleteCatalogResult {
	id: string;
	restored?: CatalogProviderSummary;
}

/** One entry of `catalog/templates`: a starting point for `catalog/create`. */
export interface CatalogTemplate {
	id: string;
	name: string;
	description: string;
	/** Valid as it stands; the client edits the id, name, endpoint and models before creating it. */
	provider: CatalogProvider;
}

/** `catalog/import` params: a catalog file's text (the project's format or Catwalk's) and its name, for messages. */
export interface CatalogImportParams {
	text: string;
	fileName?: string;
}

/** `catalog/export` params: a catalog record's id and the format, `plue` (the default) or `catwalk`. */
export interface CatalogExportParams {
	id: string;
	format?: string;
}

/** `catalog/export` result: the file's text and the name it would have in a catalog folder (`<provider id>.json`). */
export interface CatalogExportResult {
	fileName: string;
	text: string;
}

/** `vault/store` params. The value goes into the vault and is never sent back by any method. */
export interface VaultStoreParams {
	/** `vault://<provider>/<key>`. */
	ref: string;
	value: string;
}

/** `vault/store` result: the reference now holding the secret. */
export interface VaultStoreResult {
	ref: string;
}

/** `vault/has` result. */
export interface VaultHasResult {
	exists: boolean;
}

/** `vault/rotate` params: the new master key (base64 of 32 bytes), made and kept by the client. */
export interface VaultRotateParams {
	newKey: string;
}

/** `vault/rotate` result: how many secrets were re-encrypted. */
export interface VaultRotateResult {
	count: number;
}

/** `instances/create` params. */
export interface CreateInstanceParams {
	/** Overrides the catalog's default endpoint. */
	endpoint?: string;
	timeoutMs?: number;
	firstByteTimeoutMs?: number;
	/** The longest gap between bytes of a streamed answer before the endpoint counts as unreachable (default 60 000). */
	stallTimeoutMs?: number;
	retry?: RetryPolicy;
	/** A secret: stored as `vault://<catalogProviderId>/<slug>`, never kept anywhere else. */
	apiKey?: string;
	/** A key already in the vault, by its reference; give it or `apiKey`, not both. */
	apiKeyRef?: string;
	/** Whether the secret is an API key (the default) or an auth token sent as `Authorization: Bearer`. */
	credential?: CredentialKind;
	/** Vertex AI: the Google Cloud project id; empty clears it. */
	project?: string;
	/** Vertex AI: the location, a region such as us-east5 or "global" (the default); empty clears it. */
	region?: string;
	/** Bedrock: the AWS profile whose credentials are used when the instance holds none; empty clears it. */
	profile?: string;
	/** Azure OpenAI: the `api-version` to call (default 2024-10-21); empty clears it. */
	apiVersion?: string;
	/** Azure OpenAI: model id → deployment name, for deployments not named after their model; empty clears it. */
	deployments?: Record<string, string>;
	modelFilter?: ModelFilter;
	defaultModel?: string;
	/** Marks the instance's models as running on the user's machine, so they cost $0 (Ollama is local whatever this says). */
	local?: boolean;
	/** The context window of the instance's models, in tokens, over the catalog's and the provider's: at least 1, as the template says (clear it with `codex/update` and `context_window: null`). */
	contextWindow?: number;
	/** Instance and model pairs tried in order when a turn fails before anything was shown; empty clears them. */
	fallbacks?: ModelFallback[];
	/** claude-code: the claude executable; acp-agent: the agent's command. */
	cliPath?: string;
	/** acp-agent: the command's arguments; empty clears them. */
	cliArgs?: string[];
	/** acp-agent: `NAME=value` lines the agent gets beside the basics (a key as `NAME=vault://provider/key`); empty clears them. */
	cliEnv?: string[];
	enabled?: boolean;
	displayName: string;
	catalogProviderId: string;
}

/** `instances/update` params at the version the caller read. Absent members stay as they are; an empty string clears `endpoint`, `apiKeyRef`, `defaultModel` or `cliPath`; a `modelFilter` replaces the whole filter. */
export interface UpdateInstanceParams {
	/** Overrides the catalog's default endpoint. */
	endpoint?: string;
	timeoutMs?: number;
	firstByteTimeoutMs?: number;
	/** The longest gap between bytes of a streamed answer before the endpoint counts as unreachable (default 60 000). */
	stallTimeoutMs?: number;
	retry?: RetryPolicy;
	/** A secret: stored as `vault://<catalogProviderId>/<slug>`, never kept anywhere else. */
	apiKey?: string;
	/** A key already in the vault, by its reference; give it or `apiKey`, not both. */
	apiKeyRef?: string;
	/** Whether the secret is an API key (the default) or an auth token sent as `Authorization: Bearer`. */
	credential?: CredentialKind;
	/** Vertex AI: the Google Cloud project id; empty clears it. */
	project?: string;
	/** Vertex AI: the location, a region such as us-east5 or "global" (the default); empty clears it. */
	region?: string;
	/** Bedrock: the AWS profile whose credentials are used when the instance holds none; empty clears it. */
	profile?: string;
	/** Azure OpenAI: the `api-version` to call (default 2024-10-21); empty clears it. */
	apiVersion?: string;
	/** Azure OpenAI: model id → deployment name, for deployments not named after their model; empty clears it. */
	deployments?: Record<string, string>;
	modelFilter?: ModelFilter;
	defaultModel?: string;
	/** Marks the instance's models as running on the user's machine, so they cost $0 (Ollama is local whatever this says). */
	local?: boolean;
	/** The context window of the instance's models, in tokens, over the catalog's and the provider's: at least 1, as the template says (clear it with `codex/update` and `context_window: null`). */
	contextWindow?: number;
	/** Instance and model pairs tried in order when a turn fails before anything was shown; empty clears them. */
	fallbacks?: ModelFallback[];
	/** claude-code: the claude executable; acp-agent: the agent's command. */
	cliPath?: string;
	/** acp-agent: the command's arguments; empty clears them. */
	cliArgs?: string[];
	/** acp-agent: `NAME=value` lines the agent gets beside the basics (a key as `NAME=vault://provider/key`); empty clears them. */
	cliEnv?: string[];
	enabled?: boolean;
	id: string;
	version: number;
	displayName?: string;
}

/** `instances/setEnabled` params. */
export interface SetInstanceEnabledParams {
	id: string;
	enabled: boolean;
}

/** `engines/test` result: what the Docker engine said of itself, or why it could not be reached. A failure is a result with `ok: false`, an `error` in the user's words and the `fix` that mends it. */
export interface EngineTestResult {
	ok: boolean;
	/** The engine's name (its record's title). */
	engine: string;
	/** Where it was reached: its host, or the Docker context named. */
	address: string;
	/** The engine's version ("20.10.24+dfsg1"). */
	version?: string;
	/** The Engine API version spoken with it: its own, capped at the newest Plue's requests are written for. */
	apiVersion?: string;
	/** The OS its containers run ("linux"). */
	os?: string;
	/** Its CPU architecture ("amd64", "arm64"). */
	arch?: string;
	/** Whether a task's worktree can be bind-mounted into its containers: an engine on this machine that bound the workspace's folder in a container it made and removed. Null when that could not be tried (no image on it). */
	canMountWorkspace?: boolean;
	/** A swarm engine's manager: its nodes and their architectures. Null for an engine that is no swarm. */
	swarm?: EngineSwarm;
	error?: string;
	/** What mends a failure: startEngine, address, permission, certificates, image, update, ssh or swarm (the engine is no swarm's manager). */
	fix?: string;
	latencyMs: number;
	testedAt: IsoDateTime;
}

/** `engines/test`'s word on a swarm engine whose address is a manager's: its nodes and their architectures. */
export interface EngineSwarm {
	/** Always true in a result that carries it: an engine that is no manager fails its test, saying so. */
	manager: boolean;
	/** How many nodes are ready to run jobs. */
	readyNodes: number;
	/** How many nodes the swarm has, in any state. */
	nodes: number;
	/** The nodes' CPU architectures as Docker names them ("x86_64", "aarch64"), each once, the most common first. */
	architectures: string[];
	/** The registry its nodes pull the runner image from (host[:port]). */
	registry: string;
}

/** `engines/runnerImage` params: a swarm engine record, and the base image (null: the workspace's, as a task's container picks it). */
export interface EngineRunnerImageParams {
	id: string;
	image?: string;
}

/** `engines/runnerImage` result: the runner images the swarm's nodes pull, or why they could not be built or pushed (`ok: false`, an `error` in the user's words and the `fix` that mends it, as engines/test's). */
export interface EngineRunnerImageResult {
	ok: boolean;
	/** The engine's name (its record's title). */
	engine: string;
	/** One image per architecture of the swarm's nodes; empty on a failure. */
	images: EngineRunnerImage[];
	error?: string;
	/** What mends a failure, as engines/test says it (swarm: the engine's registry or manager; image: the base image or Plue's binary). */
	fix?: string;
}

/** One runner image a swarm's nodes of one architecture pull. */
export interface EngineRunnerImage {
	/** The nodes' architecture as Docker names it ("amd64", "arm64"). */
	architecture: string;
	/** Its full name in the registry (registry.lan:5000/plue-runner:0.1.0-0123456789ab). */
	image: string;
	/** True: built and pushed now; false: the registry had it already. */
	pushed: boolean;
}

/** `engines/reach`: every Docker engine record, and whether it answers now, in name order. */
export interface EnginesReachResult {
	engines: EngineReachInfo[];
}

/** Whether one Docker engine answers now (`engines/reach`): its version, or why not with what mends it. */
export interface EngineReachInfo {
	/** The engine record's name (its title). */
	engine: string;
	engineId: string;
	ok: boolean;
	/** Docker's version, when it answered. */
	version?: string;
	/** The API version spoken with it. */
	apiVersion?: string;
	/** Why it did not answer, on one line saying what to do. */
	error?: string;
	/** What mends it, as `engines/test`'s `fix`. */
	fix?: string;
}

/** `engines/openTerminal`: a shell in a task's container, with a terminal of this size. */
export interface EngineTerminalOpenParams {
	/** The task whose container it opens in. */
	taskId: string;
	cols: number;
	rows: number;
}

/** The terminal `engines/openTerminal` opened: its id, and where it runs in the user's words. */
export interface EngineTerminalOpened {
	terminalId: string;
	/** The engine's name (its record's title), or "This machine's Docker" for the local engine. */
	engine: string;
	/** The container's short id (12 characters). */
	shortId: string;
}

/** `engines/writeTerminal`: what the user typed, as the terminal sends it. */
export interface EngineTerminalInputParams {
	terminalId: string;
	data: string;
}

/** Whether a terminal is still open after a write, a resize or a close. */
export interface EngineTerminalState {
	terminalId: string;
	open: boolean;
}

/** `engines/resizeTerminal`: the terminal's new size. */
export interface EngineTerminalResizeParams {
	terminalId: string;
	cols: number;
	rows: number;
}

/** `engines/closeTerminal`: the user closed the terminal. */
export interface EngineTerminalCloseParams {
	terminalId: string;
}

/** `engines/terminalOutput`: what the shell wrote to its terminal, as text. */
export interface EngineTerminalOutputParams {
	terminalId: string;
	data: string;
}

/** `engines/terminalClosed`: the terminal's shell ended, or its container went away. */
export interface EngineTerminalClosedParams {
	terminalId: string;
	/** The shell's exit code, when it ended by itself. */
	exitCode?: number;
	/** Why it closed, in the user's words, when it did not end by itself (its container stopped). */
	reason?: string;
}

export interface SessionCreateParams {
	instanceId: string;
	modelId: string;
	title?: string;
	systemPromptRef?: string;
	systemPrompt?: string;
	/** True to use a model id the instance does not list (a custom or newly released model); by default such an id is refused with the list of what it offers. */
	allowUnlisted?: boolean;
}

export interface SessionListParams {
	archived?: boolean;
	/** At most this many chats (1 to 1000); absent: every one. */
	limit?: number;
	/** The chats after this one (the last id of the previous page), in the list's order. */
	after?: string;
}

export interface SessionExportParams {
	id: string;
	/** `markdown` (the default) or `json`. */
	format?: string;
}

export interface SessionExportResult {
	/** The whole chat in the format asked for. */
	text: string;
	/** A file name for it, from the chat's title (`Fix-the-build.md`). */
	fileName: string;
}

export interface SessionImportParams {
	/** The text of a sessions file (`plue sessions export --all`) or of one chat's JSON export. */
	json: string;
}

export interface SessionImportResult {
	/** Chats written (new ones, and those imported as a copy because their id was taken). */
	chats: number;
	tasks: number;
	/** Chats and tasks already here exactly as in the file (the same transcript, every message and part): left alone. */
	skipped: number;
	/** Chats and tasks whose id was taken here by a different one: imported as new records titled "(imported copy)" (the one here untouched). */
	copied: number;
	/** The names of instances the file's chats and tasks use that are not here: those read, but need another model to continue. */
	missingInstances: string[];
	/** The ids written, in the file's order. */
	ids: string[];
	/** The chats and tasks written under another id than the file's, file id to id here: a copy of a different chat whose id was taken here, or an id that is not in the form Plue makes (refused as an id, never used). */
	renamed: Record<string, string>;
	/** The chat written, when exactly one chat was (to open it). */
	chatId?: string;
	/** What happened, in the user's words (the window's toast and the command line say this). */
	message: string;
}

/** `session/messages`: one page, the latest `limit` messages (before `beforeSeq`, when given). */
export interface SessionMessagesParams {
	id: string;
	/** At most this many messages, the latest ones before `beforeSeq`: 200 when left out, at most 1000. */
	limit?: number;
	/** Only messages whose seq is lower: the seq of the oldest message the client holds. */
	beforeSeq?: number;
}

export interface SessionMessagesResult {
	/** Oldest first. */
	messages: SessionMessage[];
	/** Whether older messages than the first one returned exist. */
	hasMore: boolean;
}

/** One message of a transcript: a role and ordered parts. */
export interface SessionMessage {
	id: string;
	sessionId: string;
	seq: number;
	role: MessageRole;
	status: MessageStatus;
	error?: string;
	parts: MessagePart[];
	usage?: TokenUsage;
	costUsd: number | null;
	/** Where `costUsd` came from; null on a user's message and on an answer still streaming. */
	costSource?: CostSource;
	/** The model that answered (an assistant's message): the chat's or task's own, or the fallback that took over. */
	modelId?: string;
	/** The provider instance that answered, like `modelId`. */
	instanceId?: string;
	/** The instances and models tried first, in order, that failed before anything was shown (overload, rate limit past retries, unreachable), when a fallback answered; absent when the first one did. */
	fallbackFrom?: FallbackAttempt[];
	createdAt: IsoDateTime;
}

/** - `system`: Text the model reads as system content where it comes in the conversation (`session/addSystem`). */
export type MessageRole = 'user' | 'assistant' | 'system';

/**
 * - `interrupted`: Its process died while it streamed (kill -9, a crash); the text so far is kept, but for what arrived from the provider in the last 100 ms.
 * - `superseded`: Hidden by a regenerate or an edit; only a fork's copy or the store sees it.
 */
export type MessageStatus = 'complete' | 'streaming' | 'cancelled' | 'interrupted' | 'error' | 'superseded';

/**
 * A typed part of a message, `kind` on the wire saying which: each kind carries only its own members.
 * Told apart by `kind`.
 */
export type MessagePart = TextPart | ReasoningPart | FilePart | ToolUsePart | ToolResultPart | StepPart | InstructionsPart | SummaryPart | PlanPart | HookPart;

/** The kind of a `MessagePart`: its `kind` on the wire. */
export type PartKind = 'text' | 'reasoning' | 'file' | 'tool_use' | 'tool_result' | 'step' | 'instructions' | 'summary' | 'plan' | 'hook';

export interface TextPart {
	kind: 'text';
	id: string;
	text?: string;
	/** Set on a user's message typed as a command from a file (`/name args`); absent otherwise. */
	command?: CommandUse;
}

/** On a user's `TextPart`: the message was typed as a command from a file (`/name args`, docs/CUSTOMIZATIONS.md), and its text is the command's body with the arguments put in. */
export interface CommandUse {
	/** The command's name, without its `/`. */
	name: string;
	/** What followed the name; absent when nothing did. */
	arguments?: string;
	/** The command file's absolute path. */
	source: string;
	/** What the command's front matter changed for this turn (`model loop-2`, `tools read, search`, `mode Ask`), and what it asked for that could not apply, saying why. */
	notes?: string[];
}

export interface ReasoningPart {
	kind: 'reasoning';
	id: string;
	text?: string;
	/** The provider's opaque signature, kept for the round trip. */
	signature?: string;
}

/** An attached file, selection or image (then `content` is base64 bytes of `mimeType`). */
export interface FilePart {
	kind: 'file';
	id: string;
	path?: string;
	content?: string;
	language?: string;
	range?: LineRange;
	mimeType?: string;
	/** What the attachment is, shown beside its path: a fetched page's size, a codebase search's words and chunks. */
	note?: string;
}

export interface LineRange {
	startLine: number;
	endLine: number;
}

export interface ToolUsePart {
	kind: 'tool_use';
	id: string;
	toolCallId?: string;
	name?: string;
	input?: JsonValue;
	state?: ToolState;
	/** Whether the call was let through and the rule that decided it; absent on calls from before rules were kept. */
	approval?: ToolApproval;
}

/** - `denied`: The user (or a rule on their behalf) refused to let it run. */
export type ToolState = 'pending' | 'running' | 'completed' | 'error' | 'denied';

/** How one tool call was let through or stopped, kept on its `tool_use` part: `decision` allow | deny (and, in `approvals/replay`, ask), and the rule that decided it, in words (`rule`) and by where it comes from (`source`: tool, mode, workspace, chat, task, user, file); `grantId` is the deciding grant's record; `tool` is the Plue tool the question was asked under, when the part's own name is an agent's (the Claude Code CLI's `Bash`, an ACP agent's call title). */
export interface ToolApproval {
	decision: string;
	source: string;
	rule: string;
	grantId?: string;
	tool?: string;
}

export interface ToolResultPart {
	kind: 'tool_result';
	id: string;
	toolCallId?: string;
	name?: string;
	output?: string;
	isError?: boolean;
	/** What the sandbox stopped the call from doing: the card offers "Allow this once" and "Always for this workspace". */
	sandboxDenials?: SandboxDenialInfo[];
	/** The policy the call ran under, in words ("Workspace write (home hidden, no network)"), when it was denied something. */
	sandboxPolicy?: string;
	/** The call was run again with its denials allowed: once | workspace. */
	sandboxAllowed?: string;
	/** Set on the first command of a chat or task that ran without a sandbox although its policy confines (Windows, macOS for now, bubblewrap missing or unable to start): why, and how to get one. The chat shows it as a card. */
	unconfined?: string;
	/** With `unconfined`: the exact commands that give this machine its sandbox, where there is a known one (Ubuntu's AppArmor profile for bwrap). */
	unconfinedFix?: string;
	/** With `unconfined`, where a Docker engine is known: the line that offers the Container sandbox policy instead. */
	unconfinedContainer?: string;
}

/** What a model turn cost and how it ended. */
export interface StepPart {
	kind: 'step';
	id: string;
	usage?: TokenUsage;
	costUsd: number | null;
	/** Where `costUsd` came from. */
	costSource?: CostSource;
	model?: string;
	latencyMs?: number;
	finishReason?: string;
	/** Set when the server read clearly less of the prompt than was sent (it dropped the start); absent otherwise. */
	truncation?: PromptTruncation;
}

/** The server read clearly fewer prompt tokens than were sent: it dropped the start of the prompt (the goal and the instructions go first) without an error, as Ollama does past its context length. On the answer's step. */
export interface PromptTruncation {
	/** About how many prompt tokens were sent (about four characters a token). */
	sentTokens: number;
	/** How many the server says it read (Ollama's `prompt_eval_count`, OpenAI's `usage.prompt_tokens`). */
	readTokens: number;
	/** What happened and what to change, in words for the user. */
	message: string;
}

/** The instructions files a turn's system prompt carried (the user's own such as ~/.claude/CLAUDE.md, AGENTS.md, CLAUDE.md, GEMINI.md, .github/copilot-instructions.md, .clinerules, .plue/rules/*.md, and the scoped ones that applied: docs/CUSTOMIZATIONS.md), shown in the chat beside the user's message, and after a tool call whose file (read or written) brought a scoped one into the turn; the model reads them in its system prompt, not here. */
export interface InstructionsPart {
	kind: 'instructions';
	id: string;
	/** Their paths, workspace-folder-relative with '/' (the user's own as `~/…`). */
	files?: string[];
	/** Why a file of `files` was sent, by its path, for the scoped ones (`applies to src/app.py`, `always applies`, `read by the agent: src/app.py`, `written by the agent: web/a.html`); absent when none is scoped. */
	reasons?: Record<string, string>;
	/** Files that were there but left out, each saying why ("AGENTS.md was not read: it is larger than 64 KiB"). */
	skipped?: string[];
}

/** The conversation before it, compacted: what later requests send instead of those messages (which stay in the store). The goal, the instructions, files touched and unresolved tool results are in it verbatim. */
export interface SummaryPart {
	kind: 'summary';
	id: string;
	/** The summary as the model is sent it. */
	text?: string;
	/** How many messages it stands for. */
	messages?: number;
	/** What the user asked it to focus on (`/compact focus`); absent when compacted by itself. */
	focus?: string;
}

/** The plan a Plan-mode answer ended with (its Markdown checklist, `- [ ] step`), kept on that answer. Start (`session/startPlan`) hands it to an Agent-mode turn in the same chat; its items tick off as the agent reports them done with the `plan_update` tool, and the chat is told each change as `session/messageUpdated`. */
export interface PlanPart {
	kind: 'plan';
	id: string;
	items: PlanItem[];
	/** The mode the plan was handed to (a `ChatMode`'s id); absent until Start. */
	startedMode?: string;
}

/** One step of a `PlanPart`: its text as the checklist wrote it, and whether it is done. */
export interface PlanItem {
	text: string;
	done: boolean;
}

/** What an agent hook (a command a hooks file runs at an agent event: docs/CUSTOMIZATIONS.md, Agent hooks) did that the user should see: it blocked, warned, ran past its time limit, or added context. Its `context`, when set, is sent to the model as part of the user's message; the rest is shown only. */
export interface HookPart {
	kind: 'hook';
	id: string;
	/** The event: PreToolUse, PostToolUse, UserPromptSubmit, Stop, SessionStart. */
	event?: string;
	/** The hook's command line, shortened. */
	command?: string;
	/** blocked, warning, timeout, context, or sandbox (the sandbox denied it something: `sandboxDenials`). */
	outcome?: string;
	/** What the user reads: the hook's stderr, or what happened to it. */
	text?: string;
	/** What the model reads with the message (a hook's stdout at UserPromptSubmit or SessionStart, a Stop hook's stderr). */
	context?: string;
	/** What the sandbox stopped the hook from doing (outcome `sandbox`): the card offers "Allow this once" and "Always for this workspace". */
	sandboxDenials?: SandboxDenialInfo[];
	/** The policy the hook ran under, in words, when it was denied something. */
	sandboxPolicy?: string;
	/** Its denials were allowed since: once (the next hooks here) | workspace. */
	sandboxAllowed?: string;
}

/** A provider instance and model that failed before anything was shown, so the next of the fallback chain was asked. */
export interface FallbackAttempt {
	instanceId: string;
	/** The instance's display name, as users see it. */
	instanceName: string;
	modelId: string;
	/** Why it failed (overloaded, rate-limited past its retries, unreachable), in the provider error's words. */
	error: string;
}

/** One message of a transcript, named by its chat or task and its own id. */
export interface MessageRefParams {
	/** The chat (or task) the message belongs to. */
	sessionId: string;
	messageId: string;
}

export interface SessionRenameParams {
	id: string;
	title: string;
}

export interface SessionArchiveParams {
	id: string;
	archived?: boolean;
}

export interface SessionSetModelParams {
	id: string;
	instanceId: string;
	modelId: string;
	/** True to use a model id the instance does not list (a custom or newly released model); by default such an id is refused with the list of what it offers. */
	allowUnlisted?: boolean;
}

/** A mode a chat can be in (`session/modes`): a template derived from `chat-mode` (`id` its template id, such as `mode-agent`) or a record of `chat-mode` (`id` its `codex://modes/<slug>`) or a used agent file (`id``agent:<name>`, its body the mode's instructions). What it grants is its fields, a user's record of its template winning. */
export interface ChatMode {
	id: string;
	name: string;
	description: string;
	/** A codicon name or an emoji, as the template's `metadata.icon` says; null when it has none. */
	icon?: string;
	/** The tools a chat in the mode may use (read, search, write, edit, bash). */
	tools: string[];
	/** Those of `tools` that run without asking (write, edit, bash); reads never ask. */
	autoApprove: string[];
	/** True for a plan mode (`mode-plan` or a template deriving from it): it only reads, and its answer's checklist becomes the chat's plan, with a Start button. */
	plans?: boolean;
	/** The sandbox policy a chat's commands run under in this mode, in words ("Workspace write (home hidden, no network)"). */
	sandboxPolicy?: string;
}

/** `session/setMode`: puts the chat in `mode` (a `ChatMode`'s id) from its next turn. */
export interface SessionSetModeParams {
	id: string;
	mode: string;
}

export interface SessionSendParams {
	sessionId: string;
	text: string;
	attachments?: Attachment[];
}

/** Something the user attached to a message. */
export interface Attachment {
	kind: AttachmentKind;
	path: string;
	content?: string;
	language?: string;
	range?: LineRange;
	mimeType?: string;
	/** image: base64 bytes. */
	data?: string;
	/** What the attachment is (set by the sidecar for `url` and `codebase`: the page's size, the chunks found). */
	note?: string;
}

/**
 * - `url`: `@url`: `path` is the page's address; the sidecar fetches it (trusted workspaces only) and attaches its text.
 * - `codebase`: `@codebase`: `path` is the words; the sidecar searches the workspace and attaches the best chunks.
 */
export type AttachmentKind = 'file' | 'selection' | 'image' | 'url' | 'codebase';

export interface SessionSearchParams {
	/** Words to find in titles and messages (each a prefix, all of them in one message or title); empty: every chat and task the filters keep. */
	query: string;
	/** Only chats and tasks on this provider instance. */
	instanceId?: string;
	/** Only those with this tag. */
	tag?: string;
	/** Only chats in this mode (its id, as `session/modes` lists them); tasks have none. */
	mode?: string;
	/** Only chats, or only tasks. */
	kind?: SearchHitKind;
	/** Changed on or after this date or time (ISO 8601; a date alone is its start, UTC). */
	from?: string;
	/** Changed on or before this date or time (ISO 8601; a date alone is its end, UTC). */
	to?: string;
	/** relevance (the default with words), newest (the default without) or oldest. */
	sort?: SearchSort;
	/** At most this many results (50 by default, 200 at most). */
	limit?: number;
}

/** What a search result is: a chat or an agent task. */
export type SearchHitKind = 'chat' | 'task';

/** The order of search results. */
export type SearchSort = 'relevance' | 'newest' | 'oldest';

export interface SessionSearchResult {
	/** In the order asked for. */
	hits: SearchHit[];
}

/** A chat or task a search found, with the line that matched. */
export interface SearchHit {
	id: string;
	kind: SearchHitKind;
	title: string;
	/** The words around the match in the message that matched best (absent when only the title matched, or without words). */
	snippet?: string;
	/** The message that matched. */
	messageId?: string;
	/** Whether the title matched. */
	titleMatched?: boolean;
	instanceId?: string;
	/** The instance's display name, to show instead of its id. */
	instanceName?: string;
	modelId?: string;
	/** A chat's mode: its id and name. */
	mode?: string;
	modeName?: string;
	tags: string[];
	status?: string;
	updatedAt: IsoDateTime;
}

export interface SessionIdParams {
	sessionId: string;
}

/** A message sent while its chat answered: it waits in the chat's queue until the turn ends, or is sent as a steer. */
export interface QueuedMessage {
	id: string;
	sessionId: string;
	text: string;
	attachments?: Attachment[];
	createdAt: IsoDateTime;
}

export interface SessionQueueEditParams {
	/** The queued message's id. */
	id: string;
	text: string;
}

export interface SessionSteerResult {
	/** Whether a running turn was stopped for the message (false: none was running, it was sent at once). */
	interrupted: boolean;
}

/** One change to a chat's (or task's) queue, told in the order the changes were made: exactly one of `added`, `edited`, `removed` and `movedToFront` is set. A client keeps its own copy of the queue (read with `session/queue` or `task/queue`) and applies each change; when its copy's length then differs from `count` (it read the queue while changes were on their way) it reads the queue again. */
export interface SessionQueueChangedParams {
	sessionId: string;
	/** A message put at the end of the queue. */
	added?: QueuedMessage;
	/** A queued message whose text changed, as it now is. */
	edited?: QueuedMessage;
	/** The id of a message that left the queue: sent, or removed unsent. */
	removed?: string;
	/** The id of a message moved ahead of the rest (Send now). */
	movedToFront?: string;
	/** How many messages are queued after this change. */
	count: number;
}

/** `session/addSystem`: a system-role message added to the chat. */
export interface SessionAddSystemParams {
	sessionId: string;
	text: string;
}

/** `session/startPlan`: hands the plan on a message to a turn in `mode` (default: Agent). */
export interface SessionStartPlanParams {
	sessionId: string;
	/** The answer that holds the plan; absent: the chat's latest plan. */
	messageId?: string;
	/** A `ChatMode`'s id to carry the plan out in; absent: Agent. */
	mode?: string;
}

export interface CancelledResult {
	cancelled: boolean;
}

export interface SessionEditParams {
	sessionId: string;
	messageId: string;
	text: string;
}

export interface SessionCompactParams {
	sessionId: string;
	/** What the summary should keep above all (the words after `/compact`). */
	focus?: string;
}

export interface SessionForkParams {
	sessionId: string;
	messageId: string;
}

export interface CheckpointListParams {
	/** A chat's or a task's id. */
	sessionId: string;
}

export interface CheckpointListResult {
	/** False where changes cannot be recorded (no git on PATH, no workspace folder); `reason` says why. */
	available: boolean;
	reason?: string;
	/** Oldest first. */
	checkpoints: Checkpoint[];
}

/** One turn's changes to the workspace: those its tool calls (write, edit, bash) made, or a restore's. `messageId` is the user message whose turn made them (for a restore, the message restored to). */
export interface Checkpoint {
	id: string;
	/** The chat or task that made it: a task's list holds its sub-tasks' checkpoints too. */
	sessionId: string;
	messageId?: string;
	/** `turn` (a turn's tool calls), or `restore` (made by a restore, which restoring undoes). */
	kind: string;
	files: CheckpointFile[];
	added: number;
	modified: number;
	deleted: number;
	createdAt: IsoDateTime;
}

export interface CheckpointDiffParams {
	sessionId: string;
	checkpointId: string;
	/** One file of it: its contents before and after the turn are returned too. */
	path?: string;
}

export interface CheckpointDiffResult {
	/** The turn's changes as a unified diff (binary files named only), capped. */
	patch: string;
	/** With a path: its text before the turn (null when it did not exist, or is binary). */
	before?: string;
	/** With a path: its text after the turn (null when the turn deleted it, or it is binary). */
	after?: string;
	/** With a path: true when the file is binary or too large to show as text. */
	binary: boolean;
}

export interface CheckpointRestoreParams {
	sessionId: string;
	/** Restore to when this user message was sent (one of `messageId` or `checkpointId`). */
	messageId?: string;
	/** Restore to before this checkpoint (a restore's checkpoint: undoes that restore). */
	checkpointId?: string;
	/** Put back the files changed since (default true). */
	files?: boolean;
	/** Drop the message and every later one (default false); needs `messageId`. */
	conversation?: boolean;
	/** Overwrite files changed since by someone else (after the user said so). */
	force?: boolean;
}

export interface CheckpointRestoreResult {
	/** False when nothing was done because `conflicts` were changed since: ask, then restore with force. */
	restored: boolean;
	/** Files changed since by the user (or another chat) that the restore would overwrite. */
	conflicts: string[];
	/** Files put back. */
	files: string[];
	/** The checkpoint the restore made first: restoring to it undoes the restore. */
	undoCheckpointId?: string;
	/** With conversation: the dropped user message's text, to put back in the composer. */
	text?: string;
}

/** `session/partDelta`: append `delta` to that part (a new part id starts a new part). */
export interface PartDeltaParams {
	sessionId: string;
	messageId: string;
	partId: string;
	kind: PartKind;
	delta: string;
}

export interface MessageUpdatedParams {
	message: SessionMessage;
}

export interface SessionUpdatedParams {
	session: Session;
}

/** `auth/claudeCode` params: the CLI to check (else `claude` on PATH). */
export interface ClaudeCodeAuthParams {
	cliPath?: string;
}

/** `auth/claudeCode` result: whether the Claude Code CLI is installed (`claude --version`) and logged in (`claude auth status --json`). `authMethod`: none, api_key, oauth_token, claude.ai, third_party. */
export interface ClaudeCodeAuthResult {
	installed: boolean;
	path?: string;
	version?: string;
	loggedIn: boolean;
	authMethod?: string;
	/** Why the check failed (not found, timed out), for the user. */
	error?: string;
}

/** `task/start`: providerRef is an instance id (`codex://providers/<slug>`, a codex id or `env:<provider>`). */
export interface TaskStartParams {
	templateId: string;
	title?: string;
	prompt: string;
	/** Files and selections (an @-mention's or a picked file's) that go with the goal, after its text, as a chat's attachments do; images are refused. */
	attachments?: Attachment[];
	providerRef?: string;
	modelId?: string;
	/** True to use a model id the instance does not list (a custom or newly released model); by default such an id is refused with the list of what it offers. */
	allowUnlisted?: boolean;
	parentId?: string;
	/** More template fields for the record (limits, tools narrowed, auto_approve...), validated by the template. */
	fields?: JsonObject;
}

export interface TaskListParams {
	/** Only the children of this task; absent: every task. */
	parentId?: string;
	/** At most this many tasks (1 to 1000); absent: every one. */
	limit?: number;
	/** The tasks after this one (the last id of the previous page), in the list's order. */
	after?: string;
}

export interface TaskSteerParams {
	id: string;
	text: string;
}

/** `task/resume`: a paused task may be given a higher spend cap. */
export interface TaskResumeParams {
	id: string;
	spendCapUsd?: number;
}

/** `task/changes`: what a task that worked in its own worktree changed, to review before it is applied. */
export interface TaskChangesResult {
	taskId: string;
	/** Paths relative to `folder`. */
	files: CheckpointFile[];
	/** The changes as a git patch (binary files included), cut at 400,000 characters. */
	patch: string;
	/** The folder the changes apply to: a workspace folder, or the parent task's worktree. */
	folder: string;
	/** The same folder in the task's worktree: each file there is the task's version, to diff against `folder`'s. */
	worktree: string;
}

/** `task/applyChanges`: the task's changes applied to its folder, its worktree removed. */
export interface TaskApplyChangesResult {
	taskId: string;
	files: CheckpointFile[];
	/** Files left with conflict markers, where the folder changed the same region meanwhile: to resolve in the merge editor. */
	conflicts: string[];
	/** The three versions of each conflicted text file (binary files, and those past 1 MB, are left out: their markers are resolved in the file), for a merge editor. */
	conflictVersions: TaskConflict[];
	folder: string;
}

/** One text file a task's changes left in conflict, in the three versions a merge editor shows: the common ancestor (`base`, empty when both sides added the file), the folder's (`current`) and the task's (`incoming`). The file itself holds the conflict markers, and is the merge's result. */
export interface TaskConflict {
	/** Relative to the result's folder, as in `conflicts`. */
	path: string;
	base: string;
	current: string;
	incoming: string;
}

/** `task/merged`: a task merged a sub-task's changes into its folder (`merge_changes`). */
export interface TaskMergedParams {
	/** The sub-task whose changes were merged, and its title. */
	taskId: string;
	title: string;
	/** The task that merged them. */
	mergedBy: string;
	result: TaskApplyChangesResult;
}

export interface TaskUpdatedParams {
	task: AgentTask;
}

/** `permission/request` (sidecar → client): may a backend run this tool? The client asks the user. */
export interface PermissionRequestParams {
	taskId?: string;
	sessionId?: string;
	tool: string;
	input: JsonValue;
	reason?: string;
	/** For bash: the command prefix "Always…" may offer (`npm test`); absent when the command has shell operators. */
	suggestedPrefix?: string;
	/** For write and edit: the workspace-relative path glob "Always…" may offer (`src/parser/**`). */
	suggestedGlob?: string;
	/** For bash: the sandbox policy the command will run under, in words ("Workspace write (home hidden, no network)"), or, for a task in a container or a swarm job, the place, starting "in " ("in its container on Build box (no network)"). */
	sandboxPolicy?: string;
	/** For bash with a suggested prefix: the one host every URL of the command is on (`127.0.0.1:8080`), which "Always…" may name too. */
	suggestedHost?: string;
}

/** `permission/request` result: `decision` allow | allowAlways | deny; `message` tells the model why. With allowAlways, `scope` says where it holds: `"task"` (absent means this) for the asking task or chat; `"workspace"` for this set of workspace folders, in every chat, task, `plue ask` and `plue acp`; `"everywhere"` for every workspace of the user; each until revoked (`permissions/reset`, Manage Tool Permissions, the composer's list). In an untrusted workspace nothing is remembered: allowAlways counts as allow. With allowAlways, `commandPrefix` (bash) or `pathGlob` (write, edit) narrows the grant to commands starting with those words or paths matching the glob; absent: the whole tool. `host` (bash, with a prefix) narrows it further to commands whose every URL is on that host. Each is a `tool-grant` record. */
export interface PermissionRequestResult {
	decision: string;
	message?: string;
	scope?: string;
	commandPrefix?: string;
	pathGlob?: string;
	host?: string;
}

/** `permissions/list` result: every grant, and the same per workspace and per task by what each allows. */
export interface PermissionsListResult {
	workspaces: WorkspacePermissions[];
	tasks: TaskPermissions[];
	/** Every grant (the `tool-grant` records), each naming its chat or task by title. */
	grants: ToolGrantInfo[];
}

/** What the grants of one set of workspace folders allow (`bash `npm test``, `write`). */
export interface WorkspacePermissions {
	/** Absolute paths, sorted: the workspace is this exact set of folders. */
	folders: string[];
	tools: string[];
	/** True for the window's own workspace. */
	current: boolean;
}

/** What the grants of one task allow (`bash `npm test``, `write`). */
export interface TaskPermissions {
	taskId: string;
	tools: string[];
}

/** `permissions/reset`: forgets allow-always answers. With `taskId`, that task's; else those of `folders` (absent: the current workspace). `tool` narrows it to one tool; absent: all of them. With `id`, that one grant (a `tool-grant` record) alone; its history keeps it, so an undo brings it back. */
export interface PermissionsResetParams {
	id?: string;
	taskId?: string;
	folders?: string[];
	tool?: string;
}

/** `permissions/reset` result: how many remembered tools were forgotten. */
export interface PermissionsResetResult {
	removed: number;
}

/** `approvals/replay`: the chat or task (`id`) whose recorded tool calls to weigh again, against the rules in force now, or against `rules` (a rules file's list, in order) instead. */
export interface ApprovalsReplayParams {
	id: string;
	rules?: ApprovalRuleInfo[];
}

/** One approval rule as a user reads and writes it: the tool (an MCP server's `mcp__server` stands for each of its tools), narrowed by a bash `commandPrefix`, a write/edit `pathGlob` or a `host` (bash: every URL the command names is on it, e.g. `curl https://example.com/x`); `decision` allow | deny (absent: allow); `source` where it comes from (mode, user, workspace, chat, task, file) and `what` it reads as. */
export interface ApprovalRuleInfo {
	tool: string;
	commandPrefix?: string;
	pathGlob?: string;
	host?: string;
	decision?: string;
	source?: string;
	what?: string;
}

/** What `approvals/replay` found: the chat or task (`kind` chat | task, by `title`), the rules weighed in their order (`fromFile`: a rules file's, else those in force now), and each recorded call with what it got then (`recorded`, absent for calls from before rules were kept) and what it would get now (`would`). */
export interface ApprovalsReplayResult {
	id: string;
	title: string;
	kind: string;
	fromFile: boolean;
	rules: ApprovalRuleInfo[];
	calls: ReplayedCall[];
}

/** One recorded call weighed again: the Plue `tool` it is asked under, what it did in a few words (`call`: the command, the path), and `words`: "would have asked", "allowed by …", "denied by …", "runs without asking (…)". */
export interface ReplayedCall {
	toolCallId: string;
	tool: string;
	call: string;
	recorded?: ToolApproval;
	would: ToolApproval;
	words: string;
}

/** `sandbox/allowOnce` and `sandbox/allowAlways`: the tool call whose result part (`partId`, a `tool_result` carrying `sandboxDenials`) the sandbox stopped, in the chat or task `id`. */
export interface SandboxAllowParams {
	id: string;
	partId: string;
}

/** What the call run again gave (its result part is updated the same way and told by `session/messageUpdated`): its output, whether it failed, what the sandbox still denied, and for allowAlways the grants made. */
export interface SandboxAllowResult {
	output: string;
	isError: boolean;
	denials: SandboxDenialInfo[];
	grants: ToolGrantInfo[];
}

/** `mcp/tools` result: the server's slug and the tools it listed when started just now. */
export interface McpToolsResult {
	server: string;
	tools: McpToolSummary[];
}

/** One tool an MCP server offers. */
export interface McpToolSummary {
	/** The server's own name for it. */
	name: string;
	/** The name a task's grant and its model use: `mcp__<server>__<tool>`. */
	agentName: string;
	description?: string;
}

/** `mcp/authorize` params: a remote MCP server's sign-in page for the client to open in the browser. */
export interface McpAuthorizeParams {
	/** The server's slug. */
	server: string;
	/** The server's title, for the user. */
	title: string;
	/** The authorization server's sign-in address (it carries no secret: the PKCE verifier stays in the sidecar). */
	url: string;
	/** How long the sidecar waits for the browser to come back, in seconds; past it the sign-in fails. */
	waitSeconds?: number;
}

/** `mcp/authorize` result: whether the browser was opened (false: the user declined). */
export interface McpAuthorizeResult {
	opened: boolean;
}

/** `mcp/resources` result: the resources of every enabled MCP server, and the servers that could not be asked. */
export interface McpResourcesResult {
	resources: McpResourceSummary[];
	unavailable: McpServerUnavailable[];
}

/** One resource an MCP server offers (its `resources/list`). */
export interface McpResourceSummary {
	/** The server's slug. */
	server: string;
	/** The server's title, for the user. */
	serverTitle: string;
	/** The resource's URI: what `mcp/readResource` takes. */
	uri: string;
	/** The server's name for it; `title`, when given, is the one to show. */
	name: string;
	title?: string;
	description?: string;
	mimeType?: string;
}

/** An enabled MCP server left out of a listing because it could not be reached; the reason says what to do. */
export interface McpServerUnavailable {
	/** The server's slug. */
	server: string;
	/** The server's title, for the user. */
	title: string;
	reason: string;
}

/** `mcp/readResource` params: a resource of an MCP server, as `mcp/resources` listed it. */
export interface McpReadResourceParams {
	/** The server's slug. */
	server: string;
	uri: string;
}

/** `mcp/readResource` result: the resource's text (several text contents one after another). */
export interface McpReadResourceResult {
	/** The server's slug. */
	server: string;
	/** The server's title, for the user. */
	serverTitle: string;
	uri: string;
	mimeType?: string;
	text: string;
}

/** `mcp/prompts` result: the prompts of every enabled MCP server, and the servers that could not be asked. */
export interface McpPromptsResult {
	prompts: McpPromptSummary[];
	unavailable: McpServerUnavailable[];
}

/** One prompt an MCP server offers (its `prompts/list`). */
export interface McpPromptSummary {
	/** The server's slug. */
	server: string;
	/** The server's title, for the user. */
	serverTitle: string;
	/** The server's name for it: what `mcp/getPrompt` takes; `title`, when given, is the one to show. */
	name: string;
	title?: string;
	description?: string;
	arguments: McpPromptArgumentSummary[];
}

/** One argument an MCP prompt takes. */
export interface McpPromptArgumentSummary {
	name: string;
	title?: string;
	description?: string;
	required: boolean;
}

/** `mcp/getPrompt` params: a prompt of an MCP server and its arguments' values. */
export interface McpGetPromptParams {
	/** The server's slug. */
	server: string;
	name: string;
	arguments?: Record<string, string>;
}

/** `mcp/getPrompt` result: the prompt's messages with its arguments filled in. */
export interface McpGetPromptResult {
	description?: string;
	messages: McpPromptMessageText[];
}

/** One message of an MCP prompt, as text: `user` or `assistant`. */
export interface McpPromptMessageText {
	role: string;
	text: string;
}

/** `mcp/elicit` params: an MCP server asks the user for some values during a tool call. */
export interface McpElicitParams {
	/** The server's slug. */
	server: string;
	/** The server's title, for the user. */
	title: string;
	/** The server's question. */
	message: string;
	/** A flat JSON schema: `{type: "object", properties: {name: {type, title?, description?, enum?, default?}}, required?}`. */
	requestedSchema: JsonObject;
}

/** `mcp/elicit` result: what the user did, and with `accept` the values given. */
export interface McpElicitResult {
	/** `accept`, `decline` or `cancel`. */
	action: string;
	/** The values by property name (string, number or boolean); with `accept` only. */
	content?: JsonObject;
}

/** `mcp/input` params: a server of an MCP file needs a value its file asks for (`${input:id}`, VS Code's `inputs`) that the vault does not hold yet. The client asks the user (a masked box when `password`) and stores the answer itself with `vault/store` at `ref`: the value never comes back in a result. */
export interface McpInputParams {
	/** The server's name in its file. */
	title: string;
	/** The file, as `.vscode/mcp.json`. */
	file: string;
	/** The input's id. */
	input: string;
	/** What the file says of it. */
	description?: string;
	password: boolean;
	/** The choices of a `pickString` input: the user picks one, and that is what is stored. Absent for text typed in a box. */
	options?: string[];
	/** The file's `default`: the text the box starts with, or the choice picked first. */
	default?: string;
	/** Where to store it: `vault://mcp/<slug>.<id>`. */
	ref: string;
}

/** `mcp/input` result: whether the client stored a value at the params' `ref`. */
export interface McpInputResult {
	stored: boolean;
}

/** `lm/models` params: only the models of this vendor (absent: every vendor's). */
export interface LmModelsParams {
	vendor?: string;
}

/** `lm/models` result. */
export interface LmModelsResult {
	models: LmModel[];
}

/** A model VS Code's Language Model API offers (`lm/models`): the id `lm/chat` names it by. */
export interface LmModel {
	id: string;
	name: string;
	/** Who serves it, e.g. `copilot`. */
	vendor: string;
	family?: string;
	maxInputTokens?: number;
}

/** `lm/chat` (sidecar → client): asks the client's model `modelId` for an answer. The parts come back as `lm/chatPart` notifications carrying `requestId`, then the request is answered. */
export interface LmChatParams {
	requestId: string;
	modelId: string;
	messages: LmMessage[];
	tools?: LmTool[];
	/** Why the model is asked, shown in VS Code's consent dialog. */
	justification?: string;
}

/** One message of a language-model conversation: `role` user | assistant (system text goes in a user message first). */
export interface LmMessage {
	role: string;
	parts: LmPart[];
}

/** One part of a language-model message: `text`, a `toolCall` (`callId, name, input`) the model made, or a `toolResult` (`callId, text`) answering one. */
export interface LmPart {
	text?: string;
	toolCall?: LmToolCall;
	toolResult?: LmToolResult;
}

/** A tool call the model made: `input` is the JSON object of its arguments. */
export interface LmToolCall {
	callId: string;
	name: string;
	input: JsonValue;
}

/** The answer to a tool call, as text. */
export interface LmToolResult {
	callId: string;
	text: string;
}

/** A tool the model may call: its name, description and JSON schema of its input. */
export interface LmTool {
	name: string;
	description?: string;
	inputSchema?: JsonValue;
}

/** `lm/chat` result: the model's input and output tokens when its API counted them. */
export interface LmChatResult {
	inputTokens?: number;
	outputTokens?: number;
}

/** `lm/chatPart` and `lm/responsePart`: one streamed part of the answer to request `requestId`. */
export interface LmPartParams {
	requestId: string;
	part: LmPart;
}

/** `lm/instanceModels` result. */
export interface LmInstanceModelsResult {
	models: LmInstanceModel[];
}

/** A model of a Plue instance, as other extensions see it through VS Code's model picker (`lm/instanceModels`). */
export interface LmInstanceModel {
	instanceId: string;
	instanceName: string;
	modelId: string;
	modelName: string;
	contextWindow?: number;
	maxOutput?: number;
	supportsImages: boolean;
}

/** `lm/respond` (client → sidecar): a conversation for the model `modelId` of instance `instanceId`, answered with Plue's vault, retries and costs. Parts stream as `lm/responsePart` with `requestId`. */
export interface LmRespondParams {
	requestId: string;
	instanceId: string;
	modelId: string;
	messages: LmMessage[];
	tools?: LmTool[];
}

/** `lm/respond` result: the tokens used and what they cost (null when a price is unknown). */
export interface LmRespondResult {
	usage: TokenUsage;
	costUsd?: number;
}

/** Requests the client sends and the sidecar answers: `[params, result]`. */
export interface ClientRequests {
	/** The LSP handshake, the first request. Params: the client's pid (the sidecar exits when it dies) and `initializationOptions {plueHome, vaultKey, workspaceFolders, trusted}`. Result: the server's name, version and capabilities. Any other request before it is answered -32002. */
	'initialize': [InitializeParams, InitializeResult];
	/** No params. Result: the sidecar's version, pid, `plueHome`, uptime in ms, and `vaultKey`: where the vault's master key is (`keychain`, `file` with why no keychain, or `environment`), absent while the sidecar starts. */
	'plue/status': [void, StatusResult];
	/** Liveness and latency probe. Params: `delayMs?` (0 to one hour) to wait before answering, `notifications?` to send that many `plue/pong` first. Result: the uptime in ms. Out-of-range values are -32602; a cancelled ping stops waiting. */
	'plue/ping': [PingParams, PingResult];
	/** No params. Result: every template file (shipped, user, workspace), usable or not: id, name, source, file, whether it is active and usable, and its problems, so a broken file is visible. */
	'templates/list': [void, TemplateSummary[]];
	/** Params: `{id}` of a template. Result: the template with inheritance applied: its lineage, fields (type, limits, options, conditions) and hooks. Errors: -33001 when no template has the id, -32602 when it exists but has problems. */
	'templates/get': [IdParams, TemplateDetail];
	/** Params: `{file, text}`: a template file's path and its text as the user is typing it, saved or not. Result: `{diagnostics, id}`: every problem loading that text would report (errors and warnings, with 1-based line and column), in that file and in the loaded templates that inherit from it; `id` when the text would load. Nothing is loaded or changed. */
	'templates/validate': [TemplateValidateParams, TemplateValidateResult];
	/** Params: a draft record `{templateId, title, fields?, tags?, slug?, parentId?, status?}`, checked against its template. Result: the stored record with its id, `codex://` ref and version 1. A client cannot set `spawnedBy`, nor a field the record's feature alone writes (a chat's provider and model, a task's result), except as the template's default. Errors: -32602 listing every field that breaks the template or that only its feature writes, -33002 when the slug was taken meanwhile. */
	'codex/create': [CodexDraft, CodexRecord];
	/** Params: `{templateId, title}`. Result: `{slug, ref}`: the slug `codex/create` would give a record of that template and title now, by the template's kind's rule (an MCP server's slug has no dot: "db.prod 2" is `db-prod-2`), and free now. Nothing is created: a window shows it as the user types a name (an MCP server's tool names, `mcp__<slug>__<tool>`). Errors: -33001 when no template has the id. */
	'codex/slug': [CodexSlugParams, CodexSlugResult];
	/** Params: `{id}`. Result: the record. Errors: -33001 when no record has the id. */
	'codex/get': [IdParams, CodexRecord];
	/** Params: `{id, version, ...}` with the members that change. Result: the record at its next version; a history entry keeps the one before. A field the record's feature alone writes is refused (naming the request that writes it), or checked as that request checks it: a chat's provider and model move it as `session/setModel` does. Errors: -33002 when `version` is not the current one (reload and retry), -32602 when the result breaks the template or the feature's rules, -33001 for an unknown id. */
	'codex/update': [CodexChange, CodexRecord];
	/** Params: `{id}`. Result: `{deleted: true}`. The record stays in its history, so `codex/undo` brings it back. Errors: -33001 for an unknown id, -32602 when its feature cannot let it go now (a chat that is answering, as `session/delete` refuses it; a task that is running, until `task/interrupt` stops it; either in another window's sidecar on the same home, while that sidecar runs). */
	'codex/delete': [IdParams, DeletedResult];
	/** Params, all optional: `templateId`, `tags` (all of them), `spawnedBy`, `parentId`, `status`, `sort` (updatedDesc by default, updatedAsc, createdDesc, createdAsc, titleAsc), `limit` (50), `cursor` from the previous page. Result: `{items, nextCursor?}`; no cursor means the last page. Errors: -32602 for an unknown sort. */
	'codex/list': [CodexListParams, CodexListResult];
	/** Params: `{id}`, of a live or a deleted record. Result: its changes, newest first, each with the record before and after. Errors: -33001 when no record ever had the id. */
	'codex/history': [IdParams, HistoryEntry[]];
	/** Params: `{id}`. Reverts the record's latest change (a delete is restored). Result: `{record}`, absent when the undo removed a record it had created. Errors: -33002 when the record changed meanwhile or its slug was taken since, -32602 when nothing is left to undo, when the latest change is one the record's feature made (a task's result: change the fields meant with `codex/update`), or when it would remove a chat that is answering or a task that is running. */
	'codex/undo': [IdParams, UndoResult];
	/** Params: `{ref}`, a `codex://collection/name` reference. Result: `{kind: "record", record}` or `{kind: "prompt", prompt}`. Errors: -32602 for a malformed reference (`..`, encoded characters, absolute paths), -33001 when nothing has that name. */
	'codex/resolve': [RefParams, ResolveResult];
	/** No params. Result: every prompt file (shipped, user and, in a trusted workspace, the workspace's): its `codex://prompts/…` ref, name, description and source. */
	'prompts/list': [void, PromptInfo[]];
	/** Params: `{ref}`, a `codex://prompts/…` reference. Result: the prompt with its text. Errors: -32602 for a malformed reference, -33001 when no root has it. */
	'prompts/get': [RefParams, Prompt];
	/** No params. Result: `{items: [{kind, name, description?, source, scope, layout, status, reason?}]}`: every agent customization file found in the workspace folders and the user's home, in every peer's layout (instructions, skills, commands, agents, agent hooks, MCP servers; docs/CUSTOMIZATIONS.md), in precedence order, each `used` or `ignored` with the reason (bad front matter with its line, an unknown field, a name the layout refuses, over its size cap, a link leading outside, shadowed by a file of higher precedence, the workspace not trusted). The files are read again when they change, not at each request. */
	'customizations/list': [void, CustomizationsListResult];
	/** Copy to Plue. Params: `{source, name?}`: a found file's path as `customizations/list` gives it, and the item's name where one file holds several (agent hooks). Result: the new record (an `instruction`, `skill`, `command`, `agent` or `agent-hook`), editable with history and undo; its `copied_from` names the file, which the record then shadows. Errors: -32602 when no found file is at `source`, when it is ignored for a reason a copy would keep (it cannot be read), or for an MCP server (add it in the MCP Servers view). */
	'customizations/copy': [CustomizationCopyParams, CodexRecord];
	/** No params. Result: every catalog provider, shipped and user, sorted by id: `[{id, name, type, defaultEndpoint, modelCount, source, supported}]`. */
	'catalog/list': [void, CatalogProviderSummary[]];
	/** Params: `{providerId}`. Result: the provider's models with context window, capabilities and prices (USD per 1M tokens; absent when unknown). Errors: -33001 for an unknown provider. */
	'catalog/models': [CatalogModelsParams, CatalogModel[]];
	/** Params: a whole provider (id, name, type, endpoint, models). Makes it a `catalog` record through `codex/create`, whose kind writes the user file in `$PLUE_HOME/catalog` (a shipped id: an override). Result: its summary as in `catalog/list`. Errors: -32602 as `codex/create` gives it (`data.fields` names the record's fields), including an id another provider of yours has, or a member the record has no field for. */
	'catalog/create': [CatalogProvider, CatalogProviderSummary];
	/** Params: a whole provider. Makes the `catalog` record of that provider id this provider (`codex/update`), or makes one for a shipped provider (an override) or a file written by hand. Result: its summary. Errors: -32602 as `codex/update` gives it, -33001 for an unknown id. */
	'catalog/update': [CatalogProvider, CatalogProviderSummary];
	/** Params: `{id}`, a provider id. Deletes its `catalog` record (`codex/delete`: undo brings it back), or a file written by hand. Result: `{id, restored?}`, where `restored` is the shipped provider a deleted override brings back. Errors: -32602 for a shipped provider (only an override of it can go), -33001 for an unknown id. */
	'catalog/delete': [IdParams, DeleteCatalogResult];
	/** No params. Result: starting points for `catalog/create` (OpenAI-compatible, Anthropic-compatible, a local server), each a provider to fill in. */
	'catalog/templates': [void, CatalogTemplate[]];
	/** Params: `{text, fileName?}`, a catalog provider file in the project's format or Catwalk's (told apart by Catwalk's snake_case members). Makes it a `catalog` record, whose kind writes it as a user file. Result: the record. Errors: -32602 for a file that cannot be read (with its line) or whose provider is invalid (its fields' problems, as `codex/create` gives them; a member a catalog record has no field for, such as a provider's `note` or `supported: false`, is refused as `catalog/create` refuses it, naming the file and the provider). */
	'catalog/import': [CatalogImportParams, CodexRecord];
	/** Params: `{id, format?}`, a `catalog` record and `plue` (default) or `catwalk`. Result: `{fileName, text}`, the provider as a file. Errors: -33001 for an unknown record, -32602 for a record of another template, a format that is neither, or a type Catwalk has no name for. */
	'catalog/export': [CatalogExportParams, CatalogExportResult];
	/** No params. Result: the catalog files that could not be loaded, as `templates/validate` gives a template's problems: `[{file, line, column, severity, message}]`. */
	'catalog/problems': [void, TemplateDiagnostic[]];
	/** Params: `{ref, value}`, a `vault://` reference and the secret. Stores it encrypted. Result: `{ref}`; no method ever returns a value. Errors: -32602 for a malformed reference, -33004 when the vault cannot be opened with the client's key. */
	'vault/store': [VaultStoreParams, VaultStoreResult];
	/** Params: `{ref}`. Result: `{deleted}`, false when there was nothing to delete. Errors: -33004 when the vault cannot be opened. */
	'vault/delete': [RefParams, DeletedResult];
	/** Params: `{ref}`. Result: `{exists}`. Errors: -33004 when the vault cannot be opened. */
	'vault/has': [RefParams, VaultHasResult];
	/** No params. Result: the stored `vault://` references, never their values. Errors: -33004 when the vault cannot be opened. */
	'vault/list': [void, string[]];
	/** Params: `{newKey}`, a base64 256-bit key the client made (and keeps). Re-encrypts the vault with it; the old file is kept as `vault.bin.bak`. Result: `{count}` of secrets re-encrypted. Errors: -32602 for a key that is not 32 bytes, -33004 when the vault cannot be opened. */
	'vault/rotate': [VaultRotateParams, VaultRotateResult];
	/** Params: `{displayName, catalogProviderId, endpoint?, timeoutMs?, firstByteTimeoutMs?, stallTimeoutMs?, retry?, apiKey? | apiKeyRef?, modelFilter?, defaultModel?, cliPath?, enabled?}`. Creates a provider instance (an `llm-provider` codex); an `apiKey` goes to the vault and only its reference is stored. Result: the instance, never its key. Errors: -32602 for invalid fields or an unknown catalog provider. */
	'instances/create': [CreateInstanceParams, ProviderInstance];
	/** No params. Result: the configured instances, then the ones offered by API keys in the sidecar's environment (id `env:<provider>`, read-only). */
	'instances/list': [void, ProviderInstance[]];
	/** Params: `{id}`, of a configured or an `env:` instance. Result: the instance. Errors: -33001 for an unknown id or a record that is not an instance. */
	'instances/get': [IdParams, ProviderInstance];
	/** Params: `{id, version, ...}` with the members that change, as `instances/create`. Result: the instance at its next version. Errors: -33002 when `version` is stale, -32602 for invalid fields, -33001 for an unknown id. */
	'instances/update': [UpdateInstanceParams, ProviderInstance];
	/** Params: `{id}`. Deletes the instance and the vault entry it owns. Result: `{deleted: true}`. Errors: -33001 for an unknown id. */
	'instances/delete': [IdParams, DeletedResult];
	/** Params: `{id, enabled}`. A disabled instance is kept but offered to no chat or task. Enabling also tests the instance as `instances/test` does (it may take as long): it stays enabled whatever the test found. Result: the instance, after enabling with that test as its `lastTest`. Errors: -33001 for an unknown id. */
	'instances/setEnabled': [SetInstanceEnabledParams, ProviderInstance];
	/** Params: `{id}`. Makes the cheapest real call of the instance's backend (its models list, Ollama's version, `claude auth status`). Result: `{ok, latencyMs, modelCount?, error?}`; a failure is a result with `ok: false` and an error that says what is missing, not an RPC error. Errors: -33001 for an unknown id. */
	'instances/test': [IdParams, InstanceTestResult];
	/** Params: `{id}` of a `docker-engine` record. Asks the engine its version (the API version negotiated down to what it serves) and whether it can bind-mount the workspace's folder; for a swarm record, also whether it manages the swarm and its nodes. Result: `{ok, engine, address, version?, apiVersion?, os?, arch?, canMountWorkspace?, swarm?: {manager, readyNodes, nodes, architectures, registry}, error?, fix?, latencyMs, testedAt}`; an engine that cannot be reached, or a swarm record's engine that is no manager (fix `swarm`), is a result with `ok: false` and a one-line error, not an RPC error. Errors: -33001 for an id that is no engine. */
	'engines/test': [IdParams, EngineTestResult];
	/** Params: `{id, image?}`: a swarm `docker-engine` record, and the base image (default: the workspace's devcontainer image, else debian:bookworm-slim). Builds the runner image (the base with Plue's Linux binary at /opt/plue/plue) on the manager for each architecture of its nodes and pushes it to the engine's registry, once: an image the registry has is not built again. Result: `{ok, engine, images: [{architecture, image, pushed}], error?, fix?}`; a registry that does not answer or refuses the push is `ok: false` with a one-line error. Errors: -33001 for an id that is no engine; -32602 for an engine that is no swarm. */
	'engines/runnerImage': [EngineRunnerImageParams, EngineRunnerImageResult];
	/** Params: none. Whether each Docker engine record answers now (its version asked, at most 5 s each, all at once; no mount check). Result: `{engines: [{engine, engineId, ok, version?, apiVersion?, error?, fix?}]}` in name order, empty when there are none; an engine that does not answer is an entry with `ok: false`, not an error. */
	'engines/reach': [void, EnginesReachResult];
	/** Params: `{taskId, cols, rows}`. Opens a shell (`/bin/sh`) with a terminal of that size in the task's container, on the engine its record names (none: this machine's), found by its `plue.task` label. Result: `{terminalId, engine, shortId}`; the shell's output comes as `engines/terminalOutput`, its end as `engines/terminalClosed`. Errors: -33001 for an unknown task or engine; -32602 when the task's container is not running, or the engine cannot be reached (the message says what to do). */
	'engines/openTerminal': [EngineTerminalOpenParams, EngineTerminalOpened];
	/** Params: `{terminalId, data}`: what the user typed. Result: `{terminalId, open}` (false: it has closed, the input is dropped). */
	'engines/writeTerminal': [EngineTerminalInputParams, EngineTerminalState];
	/** Params: `{terminalId, cols, rows}`: the terminal's new size. Result: `{terminalId, open}`. */
	'engines/resizeTerminal': [EngineTerminalResizeParams, EngineTerminalState];
	/** Params: `{terminalId}`: ends the shell and its connection. Result: `{terminalId, open: false}`; an unknown or closed terminal is not an error. */
	'engines/closeTerminal': [EngineTerminalCloseParams, EngineTerminalState];
	/** Params: `{id}`. Result: the models the instance offers after its model filter: the provider's own list merged with the catalog's prices, or the catalog's alone when the provider cannot list them now. A list an earlier sidecar on the home kept is served at once, and refreshed behind when older than 10 minutes (docs/PROVIDERS.md). Errors: -33001 for an unknown id. */
	'instances/models': [IdParams, CatalogModel[]];
	/** Params: `{instanceId, modelId, title?, systemPromptRef?, systemPrompt?}`. Result: the new chat session. Errors: -33001 for an unknown instance, -32602 for invalid fields. */
	'session/create': [SessionCreateParams, Session];
	/** Params: `{archived?, limit?, after?}` (archived false by default: the open chats). Result: every session, last changed first; or a page of at most `limit` (1 to 1000) after the chat `after` (the last id of the previous page), pages in creation order (newest first, by id), which no change to a chat moves: a walk reaches every chat there was when it began, renamed or not, and `after` may be a chat deleted since. A page shorter than `limit` is the last. Errors: -32602 for a limit outside 1 to 1000. */
	'session/list': [SessionListParams, Session[]];
	/** Params: `{id}`. Result: the session with its status, usage and cost. Errors: -33001 when the id is not a chat session. */
	'session/get': [IdParams, Session];
	/** Params: `{id, format?}`, format `markdown` (the default) or `json`. Result: `{text, fileName}`: the whole chat as `plue sessions export` writes it (markdown: a title, then each message under its author; JSON: `{format, version, session, record, instance, messages}` with every part, which `session/import` reads), and a file name from its title. Errors: -32602 for another format, -33001 for an unknown session. */
	'session/export': [SessionExportParams, SessionExportResult];
	/** No params. Result: `{text, fileName}`: every chat and task (archived ones too), each with its record (tags, mode, status), instance (reference and name), whole transcript and costs, in one sessions file `{"format": "plue-sessions", "version": 1, "exportedAt", "records"}`, as `plue sessions export --all` writes it. */
	'session/exportAll': [void, SessionExportResult];
	/** Params: `{json}`: the text of a sessions file or of one chat's JSON export. Writes every chat and task in one transaction (all or nothing) and never over a record here: an id already here is skipped when the record and its transcript are the same, else imported as a new record. An instance the file names that is not here (by reference, then by name) leaves the chat readable, listed in `missingInstances`. Result: `{chats, tasks, skipped, copied, missingInstances, ids, chatId?, message}`, `message` saying it in the user's words. Errors: -32602 for a file that is not JSON (with its line and column, "ends early" for a cut one), not a sessions file, or of a newer version than this Plue reads. */
	'session/import': [SessionImportParams, SessionImportResult];
	/** Params: `{id, limit?, beforeSeq?}`. Result: `{messages, hasMore}`: always one page, in order: the latest `limit` messages (200 when left out, at most 1000) before `beforeSeq` (or the end), and whether earlier ones exist. Errors: -32602 for a limit below 1 or above 1000, -33001 for an unknown session. */
	'session/messages': [SessionMessagesParams, SessionMessagesResult];
	/** Params: `{sessionId, messageId}`. Result: that one message with its parts, as `session/messages` gives it (a message a notification named, without reading its page). Errors: -33001 for an unknown chat, or a message that is not in it. */
	'session/message': [MessageRefParams, SessionMessage];
	/** Params: `{id, title}`. Result: the session. Errors: -33001 for an unknown session. */
	'session/rename': [SessionRenameParams, Session];
	/** Params: `{id, archived?}`; `archived: false` restores. Result: the session. Errors: -33001 for an unknown session. */
	'session/archive': [SessionArchiveParams, Session];
	/** Params: `{id}`. Result: `{deleted: true}`; `codex/undo` brings the chat back. Errors: -33001 for an unknown session. */
	'session/delete': [IdParams, DeletedResult];
	/** Params: `{id, instanceId, modelId}`: what the next turn calls. Result: the session. Errors: -33001 for an unknown session or instance. */
	'session/setModel': [SessionSetModelParams, Session];
	/** Params: none. Result: the modes a chat can be in (`ChatMode`): the shipped Ask and Agent, every template derived from `chat-mode` and every record of it, Ask and Agent first. */
	'session/modes': [void, ChatMode[]];
	/** Params: `{id, mode}`: the chat's tools, approvals and mode instructions from its next turn; a mode that names a provider and model moves the chat to them. New chats start in the mode set last. Result: the session. Errors: -33001 for an unknown session; -32602 for a mode that is not one (`session/modes` lists them). */
	'session/setMode': [SessionSetModeParams, Session];
	/** Params: `{sessionId, text, attachments?}` (images: PNG, JPEG, GIF or WebP, base64, at most 5 MB each). A `url` attachment (`@url`) is fetched first, in a trusted workspace only, through the bounded client (2 MiB, 30 s), HTML reduced to text and capped at 40,000 characters with the cut said; a `codebase` one (`@codebase`) searches the workspace folders for its words (ripgrep when on PATH) and attaches the best-ranked chunks (at most 6, 30,000 characters); either becomes a `file` part whose `note` says what it holds. What cannot be fetched or found is refused with -32602 before anything is stored. Stores the user's message, streams the answer as `session/partDelta` and `session/messageUpdated`, and answers with the finished assistant message. Sent while the chat answers, the message is queued (kept in the store, told as `session/queueChanged`) and sent when the turn ends, unless it was stopped (then the queue waits for `session/steer` or the next turn's end); the request answers with its own answer then. Cancelling a request whose message is still queued takes it out of the queue. Sends written one after another on a connection are queued in that order. A chat holds at most 1,000 queued messages (a task's queue too): one more is refused with -33002. Cancelling the request, or `session/cancel`, stops the turn and keeps its text. Errors: -33003 when the provider fails (the message says why and what to do), -32602 for bad attachments, -33001 for an unknown session, -33002 for a full queue. */
	'session/send': [SessionSendParams, SessionMessage];
	/** Params: `{query, instanceId?, tag?, mode?, kind?, from?, to?, sort?, limit?}`. Searches every chat and task: their titles and the text of their messages (SQLite FTS5; each word a prefix, all words in one message or title, accents ignored), kept to an instance, a tag, a chat mode, chats or tasks, and a span of last changes. Result: `{hits}`, each the chat or task with its title, its instance's name, model and mode, and the words around the match in its best-matching message (`snippet`); by relevance, newest or oldest. An empty query lists what the filters keep, newest first. Errors: -32602 for a date that is not one or a limit out of 1–200. */
	'session/search': [SessionSearchParams, SessionSearchResult];
	/** Params: `{sessionId}`. Result: the messages waiting in the chat's queue (sent while it answered), in the order they will be sent. They are kept in the store: a queue outlives a restart of the sidecar. Errors: -33001 for an unknown session. */
	'session/queue': [SessionIdParams, QueuedMessage[]];
	/** Params: `{id, text}`. Changes a queued message's text before it is sent. Result: the queued message; told as `session/queueChanged`. Errors: -32602 for empty text; -33001 when it is no longer queued (sent or removed). */
	'session/queueEdit': [SessionQueueEditParams, QueuedMessage];
	/** Params: `{id}`. Takes a queued message out of the queue, unsent; the `session/send` waiting for it fails with -32800. Result: `{deleted}`, false when it was no longer queued. Told as `session/queueChanged`. */
	'session/queueRemove': [IdParams, DeletedResult];
	/** Params: `{id}`: sends a queued message now (steer). The running turn is stopped where it is (what arrived is kept, as with `session/cancel`, and a tool call under way is finished or refused as a stop does), and the message is the next turn, ahead of the rest of the queue; with no turn running (a queue left by a restart) it is sent at once. Its answer is the result of the `session/send` that queued it, and streams as usual. Why a stop rather than slipping the message into the turn's next tool round: a turn that only streams text has no next round, and the model should read the correction before it writes more (a task's `task/steer`, whose turns are tool rounds, is read before its next model call instead). Result: `{interrupted}`. Errors: -33001 when it is no longer queued. */
	'session/steer': [IdParams, SessionSteerResult];
	/** Params: `{sessionId, text}`. Adds a system-role message to the chat (the composer's `/system`): no turn starts; from the next turn on the model reads it as system content where it stands in the conversation (OpenAI's `system` message, Ollama's `system` role, Anthropic's, Gemini's and Bedrock's system text). A compaction keeps sending it. Result: the stored message, also told as `session/messageUpdated`. Errors: -32602 for empty text, text over 100,000 characters or an archived chat; -33001 for an unknown session. */
	'session/addSystem': [SessionAddSystemParams, SessionMessage];
	/** Params: `{sessionId, messageId?, mode?}`. Hands the plan a Plan-mode answer ended with (its `plan` part; without `messageId` the chat's latest) to a turn in `mode` (default `mode-agent`) in the same chat: the chat is put in that mode, the plan is marked started, and a turn is sent carrying the plan's steps. While the plan has steps left, that mode's turns get the `plan_update` tool to tick them off, each change told as `session/messageUpdated`. Result: the answer, as `session/send`'s. Errors: -32602 when the message has no plan or its plan was started already, the mode is a plan mode or unknown, or the chat is archived; -33001 for an unknown session. */
	'session/startPlan': [SessionStartPlanParams, SessionMessage];
	/** Params: `{sessionId}`. Stops the session's streaming turn; its text so far is kept. Result: `{cancelled}`, false when no turn was running. */
	'session/cancel': [SessionIdParams, CancelledResult];
	/** Params: `{sessionId}`. Answers the last user message again; the previous answer is superseded, not deleted. Result and errors as `session/send`. */
	'session/regenerate': [SessionIdParams, SessionMessage];
	/** Params: `{sessionId, messageId, text}`. Replaces a user message's text and answers it again; the messages after it are superseded. Result and errors as `session/send`; -33001 when the message is not in the session. */
	'session/editAndResend': [SessionEditParams, SessionMessage];
	/** Params: `{sessionId, focus?}`. Compacts the chat now (the composer's `/compact [focus]`): the chat's compaction model (its `compaction_model`, else its own) summarises the conversation so far, keeping the goal, the instructions, files touched and unanswered tool results verbatim; the summary is stored as an assistant message holding a `summary` part, and later turns send it and what follows instead of what it stands for. Every message stays in the store (`session/messages` pages through all of them). Result: that message. Errors: -32602 while the chat answers or when there is nothing to compact; -33001 for an unknown chat; a provider's error as in `session/send`. */
	'session/compact': [SessionCompactParams, SessionMessage];
	/** Params: `{sessionId, messageId}`. Result: a new session with a copy of the transcript up to and including that message. Errors: -33001 when the message is not in the session. */
	'session/fork': [SessionForkParams, Session];
	/** Params: `{sessionId}` (a chat or a task). Result: `{available, reason?, checkpoints}`: every turn that changed the workspace (tool writes, edits, files a bash command changed, restores), oldest first, with the files it changed; a task's list holds its sub-tasks' too. `available` is false, with the reason, where changes cannot be recorded (no git on PATH, no workspace folder). */
	'checkpoint/list': [CheckpointListParams, CheckpointListResult];
	/** Params: `{sessionId, checkpointId, path?}`. Result: `{patch, before?, after?, binary}`: the turn's changes as a unified diff; with a path, that file's text before and after the turn too (for a diff editor). Errors: -33001 when the checkpoint is not the session's; -32602 for a path that is not inside the workspace. */
	'checkpoint/diff': [CheckpointDiffParams, CheckpointDiffResult];
	/** Params: `{sessionId, messageId? | checkpointId?, files?, conversation?, force?}`. Puts the files the chat (and, for a task, its sub-tasks) changed since that user message back as they were when it was sent, and/or drops that message and every later one. It first records the files as they are, so the restore is itself undone by restoring to `undoCheckpointId`. Files changed since by someone else are never overwritten unasked: the result is then `{restored: false, conflicts}`, and the client asks before sending `force: true`. Result: `{restored, conflicts, files, undoCheckpointId?, text?}` (`text`: the dropped message's, for the composer). Errors: -32602 without a message or checkpoint, or asking for neither files nor conversation; -33001 for an unknown message or checkpoint; -33002 while a reply streams. */
	'checkpoint/restore': [CheckpointRestoreParams, CheckpointRestoreResult];
	/** Params: `{cliPath?}`. Result: whether the Claude Code CLI is installed, its version, whether it is logged in and how; a missing CLI is a result, not an error. */
	'auth/claudeCode': [ClaudeCodeAuthParams, ClaudeCodeAuthResult];
	/** Params: `{templateId, prompt, attachments?, title?, providerRef?, modelId?, parentId?, fields?}`; attached files and selections follow the prompt in the goal (`url` and `codebase` are for chats). Result: the task, queued; it runs in the background, not tied to this request, and reports through `task/updated`. Errors: -32602 for a template outside the task family, invalid fields or an image attached, -33001 for an unknown instance. */
	'task/start': [TaskStartParams, AgentTask];
	/** Params: `{parentId?, limit?, after?}`. Result: every task, or the children of one, oldest first, each with its live state; with `limit` (1 to 1000) a page of at most that many after the task `after` (the last id of the previous page), a shorter page being the last. Errors: -32602 for a limit outside 1 to 1000 or an `after` that names no record. */
	'task/list': [TaskListParams, AgentTask[]];
	/** Params: `{id}`. Result: the task with its live state (a pending approval) and what its subtree spent. Errors: -33001 when the id is not a task. */
	'task/get': [IdParams, AgentTask];
	/** Params and result as `session/messages`, for a task's transcript; live deltas come as `session/partDelta` with the task id as `sessionId`. Errors: -32602 for a limit below 1 or above 1000, -33001 when the id is not a task. */
	'task/messages': [SessionMessagesParams, SessionMessagesResult];
	/** Params: `{id}`. Stops the task and its whole subtree, answering once they have stopped; partial transcripts are kept. Result: the task, cancelled. Errors: -33001 when the id is not a task. */
	'task/interrupt': [IdParams, AgentTask];
	/** Params: `{id, text}`. Adds a user message to a running task, stored in its transcript at once: the model reads it before its next call, or the resumed run does when the task stops first. Result: the task. Errors: -32602 when the task is not running, -33001 when the id is not a task. */
	'task/steer': [TaskSteerParams, AgentTask];
	/** Params: `{id, text}`. Queues a message to a running task: it waits in the task's queue (kept in the store, so a restart of the sidecar loses none; edited by `session/queueEdit`, taken out by `session/queueRemove`, told by `session/queueChanged` with the task's id as `sessionId`) and is sent when the model's turn ends, read before its next call; a run about to complete reads it first. Result: the queued message. Errors: -32602 for empty text or a task that is not running, -33001 when the id is not a task. */
	'task/enqueue': [TaskSteerParams, QueuedMessage];
	/** Params: `{id}`, a task. Result: the messages waiting in its queue, in the order they will be sent. Errors: -33001 when the id is not a task. */
	'task/queue': [IdParams, QueuedMessage[]];
	/** Params: `{id}`, a queued message of a task: sends it now (steer), into the transcript ahead of the rest of the queue, read before the model's next call as `task/steer`'s. Result: the task. Errors: -33001 when it is no longer queued. */
	'task/steerQueued': [IdParams, AgentTask];
	/** Params: `{id, spendCapUsd?}`. A cancelled, paused or failed task goes on from its transcript, queued again, and so do its sub-tasks that stopped with it (at a spend cap, or with the sidecar), each from its own transcript; a task paused at its spend cap may get a higher one. Result: the task. Errors: -32602 when the task cannot be resumed (running, completed, or a cap not above what it spent), -33001 when the id is not a task. */
	'task/resume': [TaskResumeParams, AgentTask];
	/** Params: `{id}`. Result: what a task that worked in its own git worktree changed (files, a git patch) and where: the folder they apply to and the same folder in the worktree, to diff file by file. Errors: -33001 when the id is not a task or it has no changes waiting (it worked in the workspace, or they were applied or discarded). */
	'task/changes': [IdParams, TaskChangesResult];
	/** Params: `{id}`. Applies a finished task's changes to its folder with `git apply --3way` (the user's index untouched), recorded as a checkpoint of the task, and removes its worktree. Result: the files, those left with conflict markers, and each conflicted text file's base, current and incoming versions (for a merge editor). Errors: -32602 while the task runs, -33001 when it has no changes waiting, -33002 when the patch cannot apply at all (nothing changed; the worktree is kept). */
	'task/applyChanges': [IdParams, TaskApplyChangesResult];
	/** Params: `{id}`. Drops a finished task's changes and removes its worktree. Result: the task. Errors: -32602 while the task runs, -33001 when it has no changes waiting. */
	'task/discardChanges': [IdParams, AgentTask];
	/** No params. Result: `{workspaces, tasks, grants}`: every grant (`tool-grant` record) with where it holds, a chat's or task's named by its title (`ownerTitle`), `current` marking the open workspace's; `workspaces` and `tasks` say the same per set of workspace folders and per task, by what each allows. */
	'permissions/list': [void, PermissionsListResult];
	/** Params: `{id?, taskId?, folders?, tool?}`: revokes one grant (`id`, a `tool-grant` record: deleted, so its history keeps it and `codex/undo` brings it back), or a chat's or task's grants (`taskId` is either's id), or a workspace's (the open one when none is given), for one tool or all. Result: `{removed}`. Errors: -32602 when both `taskId` and `folders` are given, no workspace is open and none is named, or `id` is not a grant; -33001 for an unknown `id`. */
	'permissions/reset': [PermissionsResetParams, PermissionsResetResult];
	/** Params: `{id, rules?}`: weighs every recorded tool call of the chat or task `id` again, against the rules in force now (its mode's or auto_approve, the workspace's grants, its own) or against `rules` (a rules file's, in order), changing nothing and asking no one. Result: `{id, title, kind, fromFile, rules, calls}`, each call with what it got then (`recorded`) and would get now (`would`, decision allow | deny | ask). Errors: -33001 for an unknown `id`; -32602 for one that is neither a chat nor a task, or a rule with no tool or a decision other than allow or deny. */
	'approvals/replay': [ApprovalsReplayParams, ApprovalsReplayResult];
	/** Params: `{id, partId}`: runs again the tool call of the chat or task `id` whose `tool_result` part `partId` carries `sandboxDenials`, its policy widened for that run only (each denied path writable, or its folder when it does not exist yet; each denied host allowed); the part's output is replaced and `sandboxAllowed` set to once. Later calls run under the policy as it was. Result: `{output, isError, denials, grants}`. Errors: -32602 when the part carries no denials or its call can no longer be run again (the sidecar restarted since). */
	'sandbox/allowOnce': [SandboxAllowParams, SandboxAllowResult];
	/** Params: `{id, partId}`: as `sandbox/allowOnce`, and first records each denial as a workspace `tool-grant` (`sandbox_path` or `sandbox_host`) that widens this workspace's policy for every later call, listed and revoked as every grant (`permissions/list`, `permissions/reset`). Result: as allowOnce's, with `grants`. Errors: as allowOnce's, and -32602 when no workspace folder is open or it is not trusted. */
	'sandbox/allowAlways': [SandboxAllowParams, SandboxAllowResult];
	/** No params. Result: the configured MCP servers (the `mcp-server` records) by title, each typed as `codex/changed` carries its view: a client lists them once and keeps them by that feed. */
	'mcp/servers': [void, McpServer[]];
	/** Params: `{id}` of an `mcp-server` record. Starts the server as configured (disabled or not) in a process of its own (a remote one: a connection of its own), lists its tools and stops it: how a client tests a server. A remote server that asks for OAuth is signed in to here: see `mcp/authorize`. Result: `{server, tools: [{name, agentName, description?}]}`. Errors: -33005 when the server does not start or list its tools (the message says why), -32602 when the record is not an MCP server, -33001 for an unknown id. */
	'mcp/tools': [IdParams, McpToolsResult];
	/** No params. The resources of every enabled MCP server (each started or connected to if needed, never signed in to): what a composer's `@` offers. Result: `{resources: [{server, serverTitle, uri, name, title?, description?, mimeType?}], unavailable: [{server, title, reason}]}`: a server that cannot be reached is listed under `unavailable` with the reason, and the others still answer. */
	'mcp/resources': [void, McpResourcesResult];
	/** Params: `{server, uri}`. Reads a resource of an enabled MCP server (`resources/read`). Result: `{server, serverTitle, uri, mimeType?, text}`. Errors: -33005 when the server cannot be reached, refuses the read, or the resource has no text (binary only). */
	'mcp/readResource': [McpReadResourceParams, McpReadResourceResult];
	/** No params. The prompts of every enabled MCP server (not Plue's own prompts: see `prompts/list`): what a composer's `/` offers. Result: `{prompts: [{server, serverTitle, name, title?, description?, arguments: [{name, title?, description?, required}]}], unavailable: [{server, title, reason}]}`. */
	'mcp/prompts': [void, McpPromptsResult];
	/** Params: `{server, name, arguments?}` (argument values as strings). The prompt's messages with the arguments filled in (`prompts/get`), each as text. Result: `{description?, messages: [{role, text}]}`. Errors: -33005 when the server cannot be reached or refuses (a missing required argument: its message says which). */
	'mcp/getPrompt': [McpGetPromptParams, McpGetPromptResult];
	/** No params. Result: `{models: [{instanceId, instanceName, modelId, modelName, contextWindow?, maxOutput?, supportsImages}]}`: the models of every enabled, usable instance that is not itself VS Code's (`vscode-lm`), which the client offers in VS Code's model picker. */
	'lm/instanceModels': [void, LmInstanceModelsResult];
	/** Params: `{requestId, instanceId, modelId, messages, tools?}`: a conversation another extension sends to a Plue model through VS Code. The instance's backend answers it (its vault key, retries, timeouts); its parts stream as `lm/responsePart`. Result: `{usage, costUsd?}`. Errors: -33001 unknown instance, -32602 a `vscode-lm` instance, no messages, a `requestId` already being answered, or params nested more than 64 levels deep (as for every request), provider errors as in `session/send`. */
	'lm/respond': [LmRespondParams, LmRespondResult];
}

/** Notifications the client sends to the sidecar: their params. */
export interface ClientNotifications {
	/** Client → sidecar: `{requestId, part}`, one part (text or tool call) of the answer to an `lm/chat`, in order. */
	'lm/chatPart': LmPartParams;
}

/** Notifications the sidecar sends to the client: their params. */
export interface SidecarNotifications {
	/** Sidecar → client, sent by `plue/ping` when asked for notifications: `{seq}`, counting from 0. */
	'plue/pong': PongParams;
	/** Sidecar → client: template files changed on disk and were reloaded; `{ids}` are the usable templates now, sorted. `templates/list` has each file's problems after the reload. */
	'templates/changed': TemplatesChangedParams;
	/** Sidecar → client: a record changed and the change is committed, whichever request or process made it (this sidecar's own writes at once; another window's or the command line's within about a second, seen through the store). `{id, kind, templateId, record?, deleted}`: `kind` is the root of the template's lineage (`llm-provider`, `ai-chat`, `task`, `mcp-server`…), `record` the record as committed, absent when `deleted`. A change may be told twice; the latest record is the truth. */
	'codex/changed': CodexChangedParams;
	/** Sidecar → client: `{message, server, denials}`, what the sandbox refused an MCP server while no chat or task was using it (a background connection or write between calls, told after a quiet while so no call's card carries it). The client shows `message` as a warning. */
	'sandbox/refused': SandboxRefusedParams;
	/** Sidecar → client: the customizations changed (a file of a layout changed on disk, or a record of an instruction, skill, command, agent or agent hook was written); `{items}` is the list as `customizations/list` now answers it. */
	'customizations/changed': CustomizationsListResult;
	/** Sidecar → client: `{terminalId, data}`, what a terminal's shell wrote, as text. */
	'engines/terminalOutput': EngineTerminalOutputParams;
	/** Sidecar → client: `{terminalId, exitCode?, reason?}`: a terminal's shell ended, or its container went away. */
	'engines/terminalClosed': EngineTerminalClosedParams;
	/** Sidecar → client: `{sessionId, added? | edited? | removed? | movedToFront?, count}`, one change to a chat's queue (a message queued, edited, removed or sent), in the order the changes were made; a client applies it to its copy, and reads the queue again when its count differs. */
	'session/queueChanged': SessionQueueChangedParams;
	/** Sidecar → client: append `delta` to the part `partId` (of kind `kind`) of message `messageId` in session `sessionId` (a task's id for a task transcript). */
	'session/partDelta': PartDeltaParams;
	/** Sidecar → client: `{message}`, a whole message that replaces the client's copy (new parts, a finished status, usage and cost). */
	'session/messageUpdated': MessageUpdatedParams;
	/** Sidecar → client: `{session}`, whose status, usage or cost changed. */
	'session/updated': SessionUpdatedParams;
	/** Sidecar → client: `{taskId, title, mergedBy, result}`: task `mergedBy` merged its sub-task's changes into its folder (`merge_changes`, after the user approved); `result` is as `task/applyChanges`'s, so a client opens the files left in conflict in its merge editor. */
	'task/merged': TaskMergedParams;
	/** Sidecar → client: `{task}`, whose status, usage, cost or pending approval changed. */
	'task/updated': TaskUpdatedParams;
	/** Sidecar → client: `{requestId, part}`, one part (text or tool call) of the answer to an `lm/respond`, in order. */
	'lm/responsePart': LmPartParams;
}

/** Requests the sidecar sends and the client answers: `[params, result]`. */
export interface SidecarRequests {
	/** Sidecar → client: asks the user to approve a tool use that no rule decided. Params: `{tool, input, reason?, taskId?, sessionId?, suggestedPrefix?, suggestedGlob?, suggestedHost?}` (the bash command prefix, the host its URLs are on, or the write/edit path glob "Always…" may offer). Result: `{decision: "allow" | "allowAlways" | "deny", scope?: "task" | "workspace" | "everywhere", commandPrefix?, pathGlob?, host?, message?}`; an error or no answer counts as deny. An allowAlways answer is a `tool-grant` record (told by `codex/changed`). */
	'permission/request': [PermissionRequestParams, PermissionRequestResult];
	/** Sidecar → client: a remote MCP server asks the user to sign in (OAuth), during `mcp/tools`. Params: `{server, title, url, waitSeconds}`: the client opens `url` in the browser, which comes back to the sidecar's loopback listener. Result: `{opened}`; false (the user declined) or an error fails the sign-in. The sidecar then waits for the browser's redirect at most `waitSeconds` (5 minutes): a redirect whose `state` matches no waiting sign-in (an old tab, another sign-in) is answered with a page saying so and does not end the wait; past it the sign-in fails and `mcp/tools` answers -33005 saying it was not completed in time. The window shows the time left while it waits. */
	'mcp/authorize': [McpAuthorizeParams, McpAuthorizeResult];
	/** Sidecar → client: an MCP server asks the user for some values during a tool call (MCP elicitation, form mode). Params: `{server, title, message, requestedSchema}`: a flat object schema of string, number, integer, boolean and enum properties. Result: `{action: "accept" | "decline" | "cancel", content?}`, the values by property name with `accept`. An error or no client counts as `cancel`. */
	'mcp/elicit': [McpElicitParams, McpElicitResult];
	/** Sidecar → client: before a server of an MCP file starts, a value its file asks for (`${input:id}`) that the vault does not hold. Params: `{title, file, input, description?, password, ref}`. The client asks the user once (masked when `password`) and stores the answer with `vault/store` at `ref`. Result: `{stored}`; false (the user dismissed it), an error or no client: the server does not start, and says why. */
	'mcp/input': [McpInputParams, McpInputResult];
	/** Sidecar → client: the chat models VS Code's Language Model API offers (`vscode.lm.selectChatModels`). Params: `{vendor?}`. Result: `{models: [{id, name, vendor, family?, maxInputTokens?}]}`; a client without the API answers an error, which the provider reports. */
	'lm/models': [LmModelsParams, LmModelsResult];
	/** Sidecar → client: ask one of VS Code's models (a `vscode-lm` instance's chat turn). Params: `{requestId, modelId, messages, tools?, justification?}`. The client sends the answer's parts as `lm/chatPart` notifications, then answers `{inputTokens?, outputTokens?}`. VS Code asks the user's consent itself; a refusal or a model that is gone is an error whose message says so. Cancelling the turn sends `$/cancelRequest`, which cancels the model's request. */
	'lm/chat': [LmChatParams, LmChatResult];
}

/** The `code` of an error response: JSON-RPC's and LSP's, then the project's own (-33000 and below). */
export const ErrorCodes = {
	/** LSP: a request came before `initialize`. */
	serverNotInitialized: -32002,
	/** The message is JSON but not a valid JSON-RPC request (or a second `initialize`, or a request after `shutdown`). */
	invalidRequest: -32600,
	/** No such method. */
	methodNotFound: -32601,
	/** The params do not fit the method; the message names the member, `data` may say more. */
	invalidParams: -32602,
	/** The handler failed unexpectedly; the message says where. */
	internalError: -32603,
	/** A message could not be read: a bad header block or a body that is not JSON. */
	parseError: -32700,
	/** LSP: the request was cancelled by `$/cancelRequest`. */
	requestCancelled: -32800,
	/** The request names something that does not exist (a record, an instance, a message, a template). */
	notFound: -33001,
	/** An optimistic-concurrency check failed: the caller's `version` is stale, or a name was taken meanwhile. Reload and retry. */
	conflict: -33002,
	/** A provider call failed; the message says why and what to do, `data` may carry the provider's own error. */
	providerError: -33003,
	/** The vault cannot be opened (a wrong key, a tampered file); the secrets are untouched. */
	vaultError: -33004,
	/** An MCP server did not start or did not list its tools; the message says why. */
	mcpServerError: -33005,
	/** The store (plue.db) was written by a newer Plue: nothing in it is read or changed. `data`: `{store, version, readsUpTo}`, the store's path and versions; the window offers its folder and the export to run with the newer Plue. */
	storeNewer: -33006,
} as const;

/** One of the `ErrorCodes`. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
