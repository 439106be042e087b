import * as vscode from 'vscode';
import type { ProviderInstance } from '../shared/protocol';
import { showError } from '../sidecar/commandErrors';
import { pickCatalogProvider, promptForKey, resolveInstance } from '../providers/pickers';
import { defaultKeyRef, ProviderService } from '../providers/providerService';
import { retestIfFailed } from './testProviderInstance';

/**
 * `plue.providers.configureKey`: stores an API key in the sidecar's vault,
 * at `vault://<provider>/default`, or at the instance's ref when run on an
 * instance (an instance without one gets its own, `vault://<provider>/<slug>`,
 * through `instances/update {apiKey}`). Returns the ref (tests use it).
 * The key is never echoed or logged.
 */
export async function configureProviderKey(service: ProviderService, arg?: unknown): Promise<string | undefined> {
	try {
		const target = arg === undefined ? await pickProviderTarget(service) : await instanceTarget(service, arg);
		if (!target) {
			return undefined;
		}
		const key = await promptForKey(target.name);
		if (!key) {
			return undefined;
		}
		const ref = await target.store(key);
		if (target.instance?.lastTest?.ok === false) {
			// The key is why it failed, likely: the test's own message says whether it works now.
			await retestIfFailed(service, target.instance);
		} else {
			void vscode.window.showInformationMessage(`API key for ${target.name} stored (${ref}).`);
		}
		return ref;
	} catch (error) {
		showError('store the key', error);
		return undefined;
	}
}

interface KeyTarget {
	name: string;
	/** The instance the key is for, when run on one. */
	instance?: ProviderInstance;
	/** Stores the key and returns the ref it is under. */
	store(key: string): Promise<string>;
}

async function pickProviderTarget(service: ProviderService): Promise<KeyTarget | undefined> {
	const provider = await pickCatalogProvider(service, { title: 'Configure Provider Key', keyState: true });
	if (!provider) {
		return undefined;
	}
	const ref = defaultKeyRef(provider.id);
	return { name: provider.name, store: async key => { await service.storeKey(ref, key); return ref; } };
}

async function instanceTarget(service: ProviderService, arg: unknown): Promise<KeyTarget | undefined> {
	const instance = await resolveInstance(service, arg, 'Configure Provider Key', i => !i.fromEnvironment);
	if (!instance) {
		return undefined;
	}
	const ref = instance.apiKeyRef;
	if (ref) {
		return { name: instance.displayName, instance, store: async key => { await service.storeKey(ref, key); return ref; } };
	}
	return {
		name: instance.displayName,
		instance,
		store: async apiKey => (await service.update({ id: instance.id, version: instance.version, apiKey })).apiKeyRef ?? 'the vault',
	};
}
