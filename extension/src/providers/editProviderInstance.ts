import * as vscode from 'vscode';
import { ProviderInstance, UpdateInstanceParams } from '../shared/protocol';
import { showError } from '../providers/errors';
import { modelDescription } from '../providers/format';
import { resolveInstance } from '../providers/pickers';
import { ProviderService } from '../providers/providerService';
import { validateEndpoint, validateTimeoutSeconds } from '../providers/validation';

type Field = 'name' | 'endpoint' | 'timeout' | 'defaultModel';

interface FieldItem extends vscode.QuickPickItem {
	field: Field;
}

/** `plue.providers.edit`: pick a field (name, endpoint, timeout, default model), change it. Returns the updated instance. */
export async function editProviderInstance(service: ProviderService, arg?: unknown): Promise<ProviderInstance | undefined> {
	try {
		const instance = await resolveInstance(service, arg, 'Edit Provider Instance', i => !i.fromEnvironment);
		if (!instance) {
			return undefined;
		}
		const picked = await vscode.window.showQuickPick(fieldItems(instance), { title: `Edit ${instance.displayName}`, placeHolder: 'What to change' });
		if (!picked) {
			return undefined;
		}
		const change = await askChange(service, instance, picked.field);
		if (!change) {
			return undefined;
		}
		const updated = await service.update({ id: instance.id, version: instance.version, ...change });
		void vscode.window.showInformationMessage(`${updated.displayName} is updated.`);
		return updated;
	} catch (error) {
		showError('edit the provider instance', error);
		return undefined;
	}
}

function fieldItems(instance: ProviderInstance): FieldItem[] {
	return [
		{ field: 'name', label: '$(edit) Name', description: instance.displayName },
		{ field: 'endpoint', label: '$(globe) Endpoint', description: instance.endpointOverride ?? `${instance.endpoint ?? 'none'} (default)` },
		{ field: 'timeout', label: '$(watch) Timeout', description: `${instance.timeoutMs / 1000} s` },
		{ field: 'defaultModel', label: '$(symbol-class) Default model', description: instance.defaultModel ?? 'none' },
	];
}

type Change = Omit<UpdateInstanceParams, 'id' | 'version'>;

async function askChange(service: ProviderService, instance: ProviderInstance, field: Field): Promise<Change | undefined> {
	switch (field) {
		case 'name': {
			const name = await vscode.window.showInputBox({ title: 'Name', value: instance.displayName, validateInput: v => (v.trim() === '' ? 'Enter a name.' : undefined) });
			return name === undefined ? undefined : { displayName: name.trim() };
		}
		case 'endpoint': {
			const endpoint = await vscode.window.showInputBox({
				title: 'Endpoint', value: instance.endpointOverride ?? '', prompt: 'Empty restores the catalog default.',
				validateInput: v => validateEndpoint(v, true),
			});
			return endpoint === undefined ? undefined : { endpoint: endpoint.trim() };
		}
		case 'timeout': {
			const seconds = await vscode.window.showInputBox({ title: 'Timeout (seconds)', value: String(instance.timeoutMs / 1000), validateInput: validateTimeoutSeconds });
			return seconds === undefined ? undefined : { timeoutMs: Math.round(Number(seconds) * 1000) };
		}
		case 'defaultModel': {
			const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { id: string }>(
				service.instanceModels(instance.id).then((models): (vscode.QuickPickItem & { id: string })[] => models.map(model => ({ label: model.name, description: modelDescription(model), id: model.id }))),
				{ title: 'Default model', matchOnDescription: true },
			);
			return picked && { defaultModel: picked.id };
		}
	}
}
