import * as vscode from 'vscode';
import { ProviderInstance } from '../shared/protocol';
import { showError } from '../sidecar/commandErrors';
import { resolveInstance } from '../providers/pickers';
import { ProviderService } from '../providers/providerService';
import { reportTest } from './testProviderInstance';

/**
 * `plue.providers.enable` / `plue.providers.disable` (saved instances; environment ones are read-only). Enabling tests
 * the instance (the sidecar does, under a progress notification: a provider may be slow) and says how it went, with
 * what mends a failure; a failed instance stays enabled and its row shows the failure. Returns the updated instance (tests use it).
 */
export async function setProviderInstanceEnabled(service: ProviderService, enabled: boolean, arg?: unknown): Promise<ProviderInstance | undefined> {
	const verb = enabled ? 'Enable' : 'Disable';
	try {
		const instance = await resolveInstance(service, arg, `${verb} Provider Instance`, i => !i.fromEnvironment && i.enabled !== enabled);
		if (!instance) {
			return undefined;
		}
		if (!enabled) {
			return await service.setEnabled(instance.id, false);
		}
		const updated = await vscode.window.withProgress(
			{ location: vscode.ProgressLocation.Notification, title: `Enabling ${instance.displayName}: testing it…` },
			() => service.setEnabled(instance.id, true),
		);
		if (updated.lastTest) {
			reportTest(service, updated, updated.lastTest, 'is enabled and');
		}
		return updated;
	} catch (error) {
		showError(`${verb.toLowerCase()} the provider instance`, error);
		return undefined;
	}
}
