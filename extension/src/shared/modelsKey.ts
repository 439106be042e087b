import type { ProviderInstance } from './protocol';

/**
 * The parts of an instance's view that cannot change which models it offers, or how they are named: how calls are
 * made (timeouts, retries, fallbacks), its default, the last test, its version and address. Everything else can (the
 * provider, endpoint, key, filter, deployments, name, whether it is enabled…), and so can any part a later view adds:
 * a part is listed here only once it is known not to matter.
 */
const notModels = new Set<keyof ProviderInstance>([
	'version', 'slug', 'ref', 'timeoutMs', 'firstByteTimeoutMs', 'stallTimeoutMs', 'answerTimeoutMs', 'retry', 'fallbacks', 'defaultModel', 'local', 'lastTest',
]);

/**
 * What decides an instance's models, as a string to compare: two views with the same key offer the same models under
 * the same names, so a change between them needs no `instances/models` or `lm/instanceModels` again.
 */
export function modelsKey(instance: ProviderInstance): string {
	return keyWithout(instance, notModels);
}

/** {@link modelsKey} of every instance, in id order: the models VS Code's picker is offered. */
export function allModelsKey(instances: readonly ProviderInstance[]): string {
	return JSON.stringify([...instances].sort((a, b) => a.id.localeCompare(b.id)).map(modelsKey));
}

/**
 * The parts that change what VS Code's picker shows of the models (their names carry the instance's, a disabled
 * instance offers none) but not what `instances/models` answers: the catalog's models or the provider's own list
 * (which the endpoint, key, deployments and the like decide), after the filter.
 */
const notListed = new Set<keyof ProviderInstance>([...notModels, 'displayName', 'title', 'enabled']);

/**
 * What `instances/models` answers from, as a string to compare: narrower than {@link modelsKey}, so the settings form's
 * model suggestions are asked again when the endpoint, key or filter move, not when the instance is renamed, enabled or
 * disabled (in the window or by `plue` in a terminal).
 */
export function listedModelsKey(instance: ProviderInstance): string {
	return keyWithout(instance, notListed);
}

function keyWithout(instance: ProviderInstance, left: ReadonlySet<keyof ProviderInstance>): string {
	const parts = Object.entries(instance).filter(([name]) => !left.has(name as keyof ProviderInstance)).sort(([a], [b]) => a.localeCompare(b));
	return JSON.stringify(parts);
}
