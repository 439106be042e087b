/**
 * Typed declarations of the sidecar's JSON-RPC methods (see PROTOCOL.md).
 * One namespace per method, in the style of vscode-languageserver-protocol.
 */
import { RequestType, RequestType0 } from 'vscode-languageclient/node';

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

/**
 * `plue/status`: the sidecar's version, process and home. Valid once initialized.
 */
export namespace StatusRequest {
	export const method = 'plue/status' as const;
	export const type = new RequestType0<StatusResult, void>(method);
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

/**
 * `catalog/list`: every catalog provider, shipped and user-defined.
 */
export namespace CatalogListRequest {
	export const method = 'catalog/list' as const;
	export const type = new RequestType0<CatalogProviderSummary[], void>(method);
}

/** Params of `catalog/models`. */
export interface CatalogModelsParams {
	providerId: string;
}

/**
 * `catalog/models`: a catalog provider's models.
 */
export namespace CatalogModelsRequest {
	export const method = 'catalog/models' as const;
	export const type = new RequestType<CatalogModelsParams, CatalogModel[], void>(method);
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

/** `instances/create`: adds an instance; the result never holds the key. */
export namespace CreateInstanceRequest {
	export const method = 'instances/create' as const;
	export const type = new RequestType<CreateInstanceParams, ProviderInstance, void>(method);
}

/** `instances/list`: saved instances and the environment's. */
export namespace ListInstancesRequest {
	export const method = 'instances/list' as const;
	export const type = new RequestType0<ProviderInstance[], void>(method);
}

/** `instances/get`: one instance. */
export namespace GetInstanceRequest {
	export const method = 'instances/get' as const;
	export const type = new RequestType<InstanceIdParams, ProviderInstance, void>(method);
}

/** `instances/update`: changes fields; fails when `version` is stale. */
export namespace UpdateInstanceRequest {
	export const method = 'instances/update' as const;
	export const type = new RequestType<UpdateInstanceParams, ProviderInstance, void>(method);
}

/** `instances/delete`: removes an instance (not its vault key). */
export namespace DeleteInstanceRequest {
	export const method = 'instances/delete' as const;
	export const type = new RequestType<InstanceIdParams, unknown, void>(method);
}

/** `instances/setEnabled`: turns an instance on or off. */
export namespace SetInstanceEnabledRequest {
	export const method = 'instances/setEnabled' as const;
	export const type = new RequestType<SetInstanceEnabledParams, ProviderInstance, void>(method);
}

/** `instances/test`: calls the provider once and reports latency and model count, or the error. */
export namespace TestInstanceRequest {
	export const method = 'instances/test' as const;
	export const type = new RequestType<InstanceIdParams, TestInstanceResult, void>(method);
}

/** `instances/models`: the instance's models (discovered and catalog). */
export namespace InstanceModelsRequest {
	export const method = 'instances/models' as const;
	export const type = new RequestType<InstanceIdParams, CatalogModel[], void>(method);
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

/** `vault/store`: encrypts and stores a secret under `ref`, replacing any there. */
export namespace VaultStoreRequest {
	export const method = 'vault/store' as const;
	export const type = new RequestType<VaultStoreParams, VaultRefParams, void>(method);
}

/** `vault/delete`: removes a secret. */
export namespace VaultDeleteRequest {
	export const method = 'vault/delete' as const;
	export const type = new RequestType<VaultRefParams, unknown, void>(method);
}

/** `vault/has`: whether a secret exists (never its value). */
export namespace VaultHasRequest {
	export const method = 'vault/has' as const;
	export const type = new RequestType<VaultRefParams, VaultHasResult, void>(method);
}

/** `vault/list`: the refs stored (never the values). */
export namespace VaultListRequest {
	export const method = 'vault/list' as const;
	export const type = new RequestType0<string[], void>(method);
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

/** `auth/claudeCode`: is the Claude Code CLI installed, and logged in? */
export namespace ClaudeCodeAuthRequest {
	export const method = 'auth/claudeCode';
	export const type = new RequestType0<ClaudeCodeAuthResult, void>(method);
}
