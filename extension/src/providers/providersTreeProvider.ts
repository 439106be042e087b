import * as vscode from 'vscode';
import { ProviderInstance } from '../shared/protocol';
import { Sidecar } from '../sidecar/sidecar';
import { SidecarListTree } from '../sidecar/sidecarListTree';
import { describeState, instanceState, InstanceState } from './format';
import { ProviderService } from './providerService';

const icons: Record<InstanceState, vscode.ThemeIcon> = {
	enabled: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
	disabled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
	noKey: new vscode.ThemeIcon('key', new vscode.ThemeColor('problemsWarningIcon.foreground')),
	environment: new vscode.ThemeIcon('symbol-variable'),
};

/**
 * The `plue.providers` view: one row per provider instance with its state as
 * icon and description. The context value `plue.instance[.env].(enabled|disabled)`
 * drives the row's menus (package.json).
 */
export class ProvidersTreeProvider extends SidecarListTree<ProviderInstance> {
	constructor(private readonly _service: ProviderService, sidecar: Sidecar, log: vscode.LogOutputChannel) {
		super(_service.onDidChange, sidecar, log, 'provider instances');
	}

	getTreeItem(instance: ProviderInstance): vscode.TreeItem {
		const item = new vscode.TreeItem(instance.displayName, vscode.TreeItemCollapsibleState.None);
		item.id = instance.id;
		item.description = describeState(instance);
		item.iconPath = icons[instanceState(instance)];
		item.contextValue = `plue.instance${instance.fromEnvironment ? '.env' : ''}.${instance.enabled ? 'enabled' : 'disabled'}`;
		item.tooltip = new vscode.MarkdownString([
			`**${instance.displayName}** (${instance.catalogProviderId})`,
			`Endpoint: ${instance.endpoint ?? 'none'}`,
			`Key: ${instance.fromEnvironment ? `$${instance.envVar ?? 'environment'}` : instance.hasKey ? 'stored in the vault' : 'none'}`,
			`Default model: ${instance.defaultModel ?? 'none'}`,
		].join('\n\n'));
		return item;
	}

	protected async list(): Promise<ProviderInstance[]> {
		const instances = await this._service.instances();
		return instances.sort((a, b) => a.displayName.localeCompare(b.displayName));
	}
}
