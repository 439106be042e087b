import * as vscode from 'vscode';
import { showError } from '../sidecar/commandErrors';
import { resolveInstance } from '../providers/pickers';
import { ProviderService } from '../providers/providerService';

/** `plue.providers.remove`'s second argument, for scripts: `confirmed` skips the question (the palette and the tree always ask). */
export interface RemoveProviderInstanceOptions {
	confirmed?: boolean;
}

/** `plue.providers.remove`: deletes a saved instance after a modal confirmation. Returns whether it was removed. */
export async function removeProviderInstance(service: ProviderService, arg?: unknown, options: RemoveProviderInstanceOptions = {}): Promise<boolean> {
	try {
		const instance = await resolveInstance(service, arg, 'Remove Provider Instance', i => !i.fromEnvironment);
		if (!instance) {
			return false;
		}
		if (!options.confirmed) {
			const choice = await vscode.window.showWarningMessage(`Remove the provider instance "${instance.displayName}"?`, {
				modal: true,
				detail: 'Chats that use it will need another instance. Its key stays in the vault for other instances of the provider.',
			}, 'Remove');
			if (choice !== 'Remove') {
				return false;
			}
		}
		await service.remove(instance.id);
		return true;
	} catch (error) {
		showError('remove the provider instance', error);
		return false;
	}
}
