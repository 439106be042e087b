import * as vscode from 'vscode';
import { showError } from '../providers/errors';
import { pickCatalogProvider, promptForKey, resolveInstance } from '../providers/pickers';
import { defaultKeyRef, ProviderService } from '../providers/providerService';

/**
 * `plue.providers.configureKey`: stores an API key in the sidecar's vault,
 * at `vault://<provider>/default`, or at the instance's own ref when run on an
 * instance. Returns the ref (tests use it). The key is never echoed or logged.
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
		await service.storeKey(target.ref, key);
		await target.afterStore?.();
		void vscode.window.showInformationMessage(`The API key for ${target.name} is stored in the Plue vault (${target.ref}).`);
		return target.ref;
	} catch (error) {
		showError('store the key', error);
		return undefined;
	}
}

interface KeyTarget {
	name: string;
	ref: string;
	/** Runs once the key is stored (points an instance at its new ref). */
	afterStore?: () => Promise<unknown>;
}

async function pickProviderTarget(service: ProviderService): Promise<KeyTarget | undefined> {
	const provider = await pickCatalogProvider(service, { title: 'Configure Provider Key', keyState: true });
	return provider && { name: provider.name, ref: defaultKeyRef(provider.id) };
}

async function instanceTarget(service: ProviderService, arg: unknown): Promise<KeyTarget | undefined> {
	const instance = await resolveInstance(service, arg, 'Configure Provider Key');
	if (!instance) {
		return undefined;
	}
	if (instance.apiKeyRef) {
		return { name: instance.displayName, ref: instance.apiKeyRef };
	}
	const ref = defaultKeyRef(instance.catalogProviderId);
	// An environment instance reads its variable; a saved one must be pointed at the key.
	const afterStore = instance.fromEnvironment ? undefined : () => service.update({ id: instance.id, version: instance.version, apiKeyRef: ref });
	return { name: instance.displayName, ref, afterStore };
}
