import { CatalogModel, CatalogProviderSummary, ProviderInstance } from '../shared/protocol';

/** "$0.10", "$3", "$2.50": whole dollars bare, cents otherwise. */
export function formatPrice(usd: number): string {
	if (usd >= 1 && Number.isInteger(usd)) {
		return `$${usd}`;
	}
	return `$${usd.toFixed(usd < 0.01 && usd > 0 ? 3 : 2)}`;
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
	if (tokens >= 1_000_000 && tokens % 1_000_000 === 0) {
		return `${tokens / 1_000_000}M`;
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
	const parts = [model.id];
	if (model.contextWindow) {
		parts.push(`${formatTokens(model.contextWindow)} context`);
	}
	if (model.canReason) {
		parts.push('reasoning');
	}
	if (model.supportsAttachments) {
		parts.push('attachments');
	}
	return parts.join(' · ');
}

/** A model's prices: "$3 in · $15 out / 1M · cache $0.30 read, $3.75 write", or "prices unknown". */
export function modelPrices(model: CatalogModel): string {
	const p = model.prices;
	if (!p || (p.input === null && p.output === null)) {
		return 'prices unknown';
	}
	const known = (v: number | null): string => (v === null ? '?' : formatPrice(v));
	let text = `${known(p.input)} in · ${known(p.output)} out / 1M`;
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

/**
 * Instances that may hold no key: Vertex AI and Bedrock sign in with Google's or AWS's own credentials, and a
 * custom endpoint (a server of the user's own) may need none.
 */
function keyOptional(instance: ProviderInstance): boolean {
	return keylessTypes.has(instance.providerType ?? '') || instance.providerType === 'google-vertex' || instance.providerType === 'bedrock'
		|| instance.catalogProviderId === 'openai-compatible' || instance.catalogProviderId === 'anthropic-compatible';
}

/** Whether an instance still lacks a key it needs (a keyless backend never does). */
export function lacksKey(instance: ProviderInstance): boolean {
	return !instance.hasKey && !instance.fromEnvironment && !keyOptional(instance);
}

/** The state an instance is shown in, most telling first. */
export type InstanceState = 'disabled' | 'environment' | 'noKey' | 'enabled';

export function instanceState(instance: ProviderInstance): InstanceState {
	if (!instance.enabled) {
		return 'disabled';
	}
	if (instance.fromEnvironment) {
		return 'environment';
	}
	return instance.hasKey || keyOptional(instance) ? 'enabled' : 'noKey';
}

export function describeState(instance: ProviderInstance): string {
	switch (instanceState(instance)) {
		case 'disabled': return 'disabled';
		case 'environment': return instance.envVar ? `from $${instance.envVar}` : 'from environment';
		case 'noKey': return 'no key';
		case 'enabled': return 'enabled';
	}
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
