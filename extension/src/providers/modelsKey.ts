import type { ProviderInstance } from '../shared/protocol';

/**
 * The parts of an instance's view that cannot change which models it offers, or how they are named: how calls are
 * made (timeouts, retries, fallbacks), its default, the last test, its version and address. Everything else can (the
 * provider, endpoint, key, filter, deployments, name, whether it is enabled…), and so can any part a later view adds:
 * a part is listed here only once it is known not to matter.
 */
const notModels = new Set<keyof ProviderInstance>([
	'version', 'slug', 'ref', 'timeoutMs', 'firstByteTimeoutMs', 'stallTimeoutMs', 'retry', 'fallbacks', 'defaultModel', 'local', 'lastTest',
]);

/**
 * What decides an instance's models, as a string to compare: two views with the same key offer the same models under
 * the same names, so a change between them needs no `instances/models` or `lm/instanceModels` again.
 */
export function modelsKey(instance: ProviderInstance): string {
	const parts = Object.entries(instance).filter(([name]) => !notModels.has(name as keyof ProviderInstance)).sort(([a], [b]) => a.localeCompare(b));
	return JSON.stringify(parts);
}

/** {@link modelsKey} of every instance, in id order: the models VS Code's picker is offered. */
export function allModelsKey(instances: readonly ProviderInstance[]): string {
	return JSON.stringify([...instances].sort((a, b) => a.id.localeCompare(b.id)).map(modelsKey));
}

/**
 * What `instances/models` answers from, as a string to compare: the catalog's models of the instance's provider, after
 * its filter (the sidecar's InstanceService.Models). Narrower than {@link modelsKey}, which is VS Code's picker's:
 * enabling, renaming or a new key change what the picker offers and how it names it, not this list, so the settings
 * form's model suggestions are asked again only when this key moves.
 */
export function listedModelsKey(instance: ProviderInstance): string {
	return JSON.stringify([instance.catalogProviderId, instance.modelFilter]);
}
