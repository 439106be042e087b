import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import { lacksKey } from './format';
import type { InstanceNames } from './instanceNames';

export interface PickedModel {
	instanceId: string;
	instanceName: string;
	modelId: string;
}

/** Two quick picks: an enabled provider instance, then one of its models. Undefined when cancelled. `purpose` titles them. */
export async function pickInstanceAndModel(sidecar: Sidecar, instanceNames: InstanceNames, purpose = 'New Chat'): Promise<PickedModel | undefined> {
	const instances = (await instanceNames.instances(true)).filter(instance => instance.enabled);
	if (instances.length === 0) {
		// A dead end no more: the button starts Add Provider Instance.
		void vscode.window.showWarningMessage('Plue: there is no enabled provider instance to chat with. Add one, then start the chat again.', 'Add Provider')
			.then(choice => choice && vscode.commands.executeCommand('plue.providers.add'));
		return undefined;
	}
	const instance = await vscode.window.showQuickPick(
		instances.map(i => ({ label: i.displayName, description: i.catalogProviderId, detail: lacksKey(i) ? 'no API key' : undefined, id: i.id })),
		{ title: `${purpose}: Provider`, placeHolder: 'Pick a provider instance' },
	);
	if (!instance) {
		return undefined;
	}
	const models = await sidecar.request('instances/models', { id: instance.id });
	const model = await vscode.window.showQuickPick(
		models.map(m => ({ label: m.name || m.id, description: m.id, detail: m.contextWindow ? `${m.contextWindow.toLocaleString('en-US')} tokens of context` : undefined, id: m.id })),
		{ title: `${purpose}: ${instance.label} model`, placeHolder: 'Pick a model', matchOnDescription: true },
	);
	return model ? { instanceId: instance.id, instanceName: instance.label, modelId: model.id } : undefined;
}
