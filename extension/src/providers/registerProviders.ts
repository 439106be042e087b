import * as vscode from 'vscode';
import { addProviderInstance } from './addProviderInstance';
import { browseModels } from './browseModels';
import { configureProviderKey } from './configureProviderKey';
import { credentialShownWhereItCounts } from './credentialField';
import { editProviderInstance } from './editProviderInstance';
import { removeProviderInstance, RemoveProviderInstanceOptions } from './removeProviderInstance';
import { setProviderInstanceEnabled } from './setProviderInstanceEnabled';
import { testProviderInstance } from './testProviderInstance';
import { ProviderService } from './providerService';
import { ProvidersTreeProvider } from './providersTreeProvider';
import type { RecordView } from '../shared/protocol';
import type { KindSettings } from '../settings/kindSettings';

/** Wires the Providers view and the `plue.providers.*` commands (each takes an optional tree row or instance id). */
export function registerProviders(service: ProviderService, tree: ProvidersTreeProvider): vscode.Disposable {
	const command = (id: string, run: (arg?: unknown) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, run);
	return vscode.Disposable.from(
		vscode.window.registerTreeDataProvider('plue.providers', tree),
		command('plue.providers.configureKey', arg => configureProviderKey(service, arg)),
		command('plue.providers.add', () => addProviderInstance(service)),
		command('plue.providers.edit', arg => editProviderInstance(service, arg)),
		vscode.commands.registerCommand('plue.providers.remove', (arg?: unknown, options?: RemoveProviderInstanceOptions) => removeProviderInstance(service, arg, options)),
		command('plue.providers.enable', arg => setProviderInstanceEnabled(service, true, arg)),
		command('plue.providers.disable', arg => setProviderInstanceEnabled(service, false, arg)),
		command('plue.providers.test', arg => testProviderInstance(service, arg)),
		command('plue.providers.browseModels', arg => browseModels(service, arg)),
		command('plue.providers.refresh', () => service.refresh()),
	);
}

/**
 * A provider instance in the settings room: Add Provider Instance's steps make one; one made in a form is tested at once,
 * and so is one whose edit made its test stale; Credential kind shows only where it counts.
 */
export function providerSettings(providers: ProviderService): readonly [RecordView['kind'], KindSettings] {
	return ['llm-provider', {
		create: { command: 'plue.providers.add', label: 'Add Provider Instance' },
		created: id => void vscode.commands.executeCommand('plue.providers.test', id),
		// An edit of what a test tries (endpoint, key, provider, model) leaves a tested instance untested: it is tested
		// again at once, as a new one is. The saved view comes by the feed: nothing is read after the save.
		beforeSave: id => providers.known(id)?.lastTest !== undefined,
		saved: (record, wasTested) => {
			if (wasTested !== true) {
				return;
			}
			void providers.whenVersion(record.id, record.version).then(instance => {
				if (instance?.enabled && !instance.lastTest) {
					void vscode.commands.executeCommand('plue.providers.test', record.id);
				}
			});
		},
		fields: async (fields, values, sidecar) => credentialShownWhereItCounts(fields, await sidecar.request('catalog/list'), values),
	}];
}
