import * as vscode from 'vscode';
import { showError } from '../sidecar/commandErrors';
import { resolveInstance } from '../providers/pickers';
import { ProviderService } from '../providers/providerService';

/**
 * `plue.providers.edit`: the instance's settings form (every field of its `llm-provider` record, the key as a masked
 * box). Returns the instance's id once its form is open.
 */
export async function editProviderInstance(service: ProviderService, arg?: unknown): Promise<string | undefined> {
	try {
		const instance = await resolveInstance(service, arg, 'Edit Provider Instance', i => !i.fromEnvironment);
		if (!instance) {
			return undefined;
		}
		// Its title names the form's tab at once, before the form has loaded.
		await vscode.commands.executeCommand('plue.settings.openRecord', { id: instance.id, title: instance.title || instance.displayName });
		return instance.id;
	} catch (error) {
		showError('edit the provider instance', error);
		return undefined;
	}
}
