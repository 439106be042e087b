import * as vscode from 'vscode';
import { ProviderInstance } from '../shared/protocol';
import { Sidecar } from '../sidecar/sidecar';
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
export class ProvidersTreeProvider implements vscode.TreeDataProvider<ProviderInstance>, vscode.Disposable {
	private readonly _onDidChangeTreeData = new vscode.EventEmitter<ProviderInstance | undefined>();
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private readonly _disposables: vscode.Disposable[];

	constructor(private readonly _service: ProviderService, sidecar: Sidecar, private readonly _log: vscode.LogOutputChannel) {
		this._disposables = [
			this._onDidChangeTreeData,
			_service.onDidChange(() => this.refresh()),
			sidecar.onDidChangeState(() => this.refresh()),
		];
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

	async getChildren(instance?: ProviderInstance): Promise<ProviderInstance[]> {
		if (instance || !this._service.running) {
			return [];
		}
		try {
			const instances = await this._service.instances();
			return instances.sort((a, b) => a.displayName.localeCompare(b.displayName));
		} catch (error) {
			this._log.warn(`Listing provider instances: ${error instanceof Error ? error.message : String(error)}`);
			return [];
		}
	}

	refresh(): void {
		this._onDidChangeTreeData.fire(undefined);
	}

	dispose(): void {
		for (const disposable of this._disposables) {
			disposable.dispose();
		}
	}
}
