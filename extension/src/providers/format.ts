import { CatalogModel, CatalogProviderSummary, InstanceTestResult, ProviderInstance } from '../shared/protocol';

/** "$0.10", "$3", "$2.50": whole dollars bare, cents otherwise. */
export function formatPrice(usd: number): string {
	if (usd >= 1 && Number.isInteger(usd)) {
		return `$${usd}`;
	}
	return `$${usd.toFixed(usd < 0.01 && usd > 0 ? 3 : 2)}`;
}

/** A known price, or "?". */
function priceOrUnknown(usd: number | null): string {
	return usd === null ? '?' : formatPrice(usd);
}

/** "$0.10–$15 / 1M in" over the models' known input prices; undefined when none is known. */
export function inputPriceRange(models: CatalogModel[]): string | undefined {
	const prices = models.map(m => m.prices?.input).filter((p): p is number => typeof p === 'number');
	if (prices.length === 0) {
		return undefined;
	}
	const low = Math.min(...prices);
	const high = Math.max(...prices);
	const range = low === high ? formatPrice(low) : `${formatPrice(low)}–${formatPrice(high)}`;
	return `${range} / 1M in`;
}

/** "200K", "1M", "8,192" tokens. */
export function formatTokens(tokens: number): string {
	if (tokens >= 1_000_000) {
		return `${Number((tokens / 1_000_000).toFixed(2))}M`; // 1,050,000 is 1.05M
	}
	if (tokens >= 1000 && tokens % 1000 === 0) {
		return `${tokens / 1000}K`;
	}
	if (tokens >= 10_000) {
		return `${Math.round(tokens / 1024)}K`; // 131,072 is 128K (binary, as model cards say)
	}
	return tokens.toLocaleString('en-US');
}

/** One line for a model: context window and capabilities. */
export function modelDescription(model: CatalogModel): string {
	return [model.id, modelBadges(model)].filter(Boolean).join(' · ');
}

/** Models on the user's machine cost nothing: the sidecar marks Ollama's and those the user set local. */
export function isLocal(instance: ProviderInstance): boolean {
	return instance.local;
}

/** A model's price for a picker: "$3 in · $15 out per Mtok", "local · free", "free", or "no price" (never a guess). */
export function modelPriceLine(model: CatalogModel, local: boolean): string {
	if (local) {
		return 'local · free';
	}
	const p = model.prices;
	if (!p || (p.input === null && p.output === null)) {
		return 'no price';
	}
	if (p.input === 0 && p.output === 0) {
		return 'free';
	}
	return `${priceOrUnknown(p.input)} in · ${priceOrUnknown(p.output)} out per Mtok`;
}

/**
 * What sending the chat so far costs on this model: its context tokens at the model's input price, "~$0.0031 next turn"
 * (a floor: the reply and the new message come on top). Undefined when nothing was sent yet or the price is unknown.
 */
export function nextTurnEstimate(model: CatalogModel, contextTokens: number, local: boolean): string | undefined {
	if (contextTokens <= 0) {
		return undefined;
	}
	const input = local ? 0 : model.prices?.input;
	if (typeof input !== 'number') {
		return undefined;
	}
	const usd = contextTokens * input / 1_000_000;
	const figure = usd === 0 ? '$0' : usd < 0.0001 ? '<$0.0001' : usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
	return `next turn ~${figure} (${formatTokens(contextTokens)} tokens in)`;
}

/** The capability badges of a model in a picker: its context window, reasoning, attachments. */
export function modelBadges(model: CatalogModel): string {
	const parts: string[] = [];
	if (model.contextWindow) {
		parts.push(`${formatTokens(model.contextWindow)} context`);
	}
	if (model.canReason) {
		parts.push('$(lightbulb) reasoning');
	}
	if (model.supportsAttachments) {
		parts.push('$(file-media) attachments');
	}
	return parts.join(' · ');
}

/** A model's prices: "$3 in · $15 out / 1M · cache $0.30 read, $3.75 write", or "prices unknown". */
export function modelPrices(model: CatalogModel): string {
	const p = model.prices;
	if (!p || (p.input === null && p.output === null)) {
		return 'prices unknown';
	}
	let text = `${priceOrUnknown(p.input)} in · ${priceOrUnknown(p.output)} out / 1M`;
	const cache = [p.cacheRead === null ? undefined : `${formatPrice(p.cacheRead)} read`, p.cacheWrite === null ? undefined : `${formatPrice(p.cacheWrite)} write`]
		.filter((s): s is string => s !== undefined);
	if (cache.length > 0) {
		text += ` · cache ${cache.join(', ')}`;
	}
	if (model.maxOutput) {
		text += ` · max output ${formatTokens(model.maxOutput)}`;
	}
	return text;
}

/** Backends that need no API key: a local server, or a CLI with its own login. */
export const keylessTypes: ReadonlySet<string> = new Set(['ollama', 'claude-code']);

/** Backends with no endpoint to set: the claude CLI talks to its own service. */
export const endpointlessTypes: ReadonlySet<string> = new Set(['claude-code']);

/** Backends whose credential is not a plain key: Vertex AI and Bedrock sign in with Google's or AWS's own. */
export const ownCredentialTypes: ReadonlySet<string> = new Set(['google-vertex', 'bedrock']);

/** Instances that may hold no key: keyless and own-credential backends, and a custom endpoint (a server of the user's own). */
function keyOptional(instance: ProviderInstance): boolean {
	const type = instance.providerType ?? '';
	return keylessTypes.has(type) || ownCredentialTypes.has(type)
		|| instance.catalogProviderId === 'openai-compatible' || instance.catalogProviderId === 'anthropic-compatible';
}

/** Whether an instance still lacks a key it needs (a keyless backend never does). */
export function lacksKey(instance: ProviderInstance): boolean {
	return !instance.hasKey && !instance.fromEnvironment && !keyOptional(instance);
}

/** The state an instance is shown in, most telling first: a failed last test outranks "enabled", never shown as healthy. */
export type InstanceState = 'disabled' | 'noKey' | 'failed' | 'environment' | 'enabled';

export function instanceState(instance: ProviderInstance): InstanceState {
	if (!instance.enabled) {
		return 'disabled';
	}
	if (!instance.fromEnvironment && lacksKey(instance)) {
		return 'noKey';
	}
	if (instance.lastTest?.ok === false) {
		return 'failed';
	}
	return instance.fromEnvironment ? 'environment' : 'enabled';
}

/** The row's description: its state, then what its last test found ("enabled · 12 models", "failed: <reason>"). */
export function describeState(instance: ProviderInstance): string {
	switch (instanceState(instance)) {
		case 'disabled': return 'disabled';
		case 'noKey': return 'no key';
		case 'failed': return `failed: ${instance.lastTest?.error ?? 'no reason given'}`;
		case 'environment': return `${instance.envVar ? `from $${instance.envVar}` : 'from environment'} · ${testSummary(instance.lastTest)}`;
		case 'enabled': return `enabled · ${testSummary(instance.lastTest)}`;
	}
}

/** What a passed test found, or "untested". */
function testSummary(test: InstanceTestResult | undefined): string {
	if (!test) {
		return 'untested';
	}
	return typeof test.modelCount === 'number' ? `${test.modelCount} model${test.modelCount === 1 ? '' : 's'}` : 'tested';
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago": how long ago `iso` was. */
export function formatAgo(iso: string, now: number = Date.now()): string {
	const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
	const units: [number, string][] = [[86_400, 'day'], [3600, 'hour'], [60, 'minute']];
	for (const [size, name] of units) {
		if (seconds >= size) {
			const count = Math.floor(seconds / size);
			return `${count} ${name}${count === 1 ? '' : 's'} ago`;
		}
	}
	return 'just now';
}

/** A provider's one-line summary for pickers: models, price range, support. */
export function providerDescription(provider: CatalogProviderSummary, models: CatalogModel[] | undefined): string {
	// An empty list is one the server gives (Ollama, the editor, a custom endpoint).
	const parts = [provider.modelCount === 0 ? 'models from the server' : `${provider.modelCount} model${provider.modelCount === 1 ? '' : 's'}`];
	const range = models ? inputPriceRange(models) : undefined;
	if (range) {
		parts.push(range);
	}
	if (!provider.supported) {
		parts.push('not supported yet');
	}
	return parts.join(' · ');
}

/** A server of the user's own: no default endpoint and no models (the server lists them); its key is optional. Mirrors the catalog's rule. */
export function isCustomEndpoint(provider: CatalogProviderSummary): boolean {
	return provider.defaultEndpoint === null && provider.modelCount === 0 && (provider.type === 'openai-compatible' || provider.type === 'anthropic');
}
