import { ProviderInstance } from '../shared/protocol';
import { showError } from '../providers/errors';
import { resolveInstance } from '../providers/pickers';
import { ProviderService } from '../providers/providerService';
import { retestIfFailed } from './testProviderInstance';

/** `plue.providers.enable` / `plue.providers.disable` (saved instances; environment ones are read-only). Returns the updated instance (tests use it). */
export async function setProviderInstanceEnabled(service: ProviderService, enabled: boolean, arg?: unknown): Promise<ProviderInstance | undefined> {
	const verb = enabled ? 'Enable' : 'Disable';
	try {
		const instance = await resolveInstance(service, arg, `${verb} Provider Instance`, i => !i.fromEnvironment && i.enabled !== enabled);
		const updated = instance && await service.setEnabled(instance.id, enabled);
		if (instance && enabled) {
			await retestIfFailed(service, instance);
		}
		return updated;
	} catch (error) {
		showError(`${verb.toLowerCase()} the provider instance`, error);
		return undefined;
	}
}
