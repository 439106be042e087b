import * as vscode from 'vscode';
import { ProviderInstance } from '../shared/protocol';
import { Sidecar } from '../sidecar/sidecar';
import { escapeMarkdown as escape, SidecarListTree } from '../sidecar/sidecarListTree';
import { describeState, formatAgo, instanceState, InstanceState } from './format';
import { ProviderService } from './providerService';
import { fixActions, fixFor } from './testProviderInstance';

const icons: Record<InstanceState, vscode.ThemeIcon> = {
	enabled: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
	disabled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
	noKey: new vscode.ThemeIcon('key', new vscode.ThemeColor('problemsWarningIcon.foreground')),
	failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
	environment: new vscode.ThemeIcon('symbol-variable'),
};
/** An enabled instance never tested: no green until a test says so. */
const untestedIcon = new vscode.ThemeIcon('circle-large-outline');

/** The commands the tooltip's links may run. */
const tooltipCommands = ['plue.providers.test', ...Object.values(fixActions).map(action => action.command)];

/**
 * The `plue.providers` view: one row per provider instance with its state and last test as icon and description
 * (a failed test shows as an error, never as a healthy "enabled"); the tooltip says when it was tested and links
 * what mends a failure. The context value `plue.instance[.env].(enabled|disabled)[.customCatalog]` drives the row's menus (package.json).
 */
export class ProvidersTreeProvider extends SidecarListTree<ProviderInstance> {
	/**
	 * The providers of the user's own catalogs: read when the sidecar starts and when a catalog record changes, never
	 * per row change; the rows are drawn again once it is read, so a listing never waits for it.
	 */
	private _custom = new Set<string>();
	private readonly _catalogWatch: vscode.Disposable[];

	constructor(private readonly _service: ProviderService, sidecar: Sidecar, log: vscode.LogOutputChannel) {
		super(_service.onDidChange, sidecar, log, 'provider instances');
		const read = (): void => {
			void _service.catalog().then(catalog => new Set(catalog.filter(p => p.source === 'user').map(p => p.id)), () => new Set<string>()).then(custom => {
				this._custom = custom;
				this.refresh();
			});
		};
		this._catalogWatch = [
			sidecar.onDidStart(read),
			sidecar.onNotification('codex/changed', change => {
				if (change.templateId === 'catalog') {
					read();
				}
			}),
		];
		if (sidecar.state.kind === 'running') {
			read();
		}
	}

	override dispose(): void {
		for (const disposable of this._catalogWatch) {
			disposable.dispose();
		}
		super.dispose();
	}

	getTreeItem(instance: ProviderInstance): vscode.TreeItem {
		const item = new vscode.TreeItem(instance.displayName, vscode.TreeItemCollapsibleState.None);
		item.id = instance.id;
		item.description = describeState(instance);
		const state = instanceState(instance);
		item.iconPath = state === 'enabled' && !instance.lastTest ? untestedIcon : icons[state];
		item.contextValue = `plue.instance${instance.fromEnvironment ? '.env' : ''}.${instance.enabled ? 'enabled' : 'disabled'}${this._custom.has(instance.catalogProviderId) ? '.customCatalog' : ''}`;
		return item;
	}

	/** The tooltip is made when hovered, so "5 minutes ago" is true then. */
	resolveTreeItem(item: vscode.TreeItem, instance: ProviderInstance): vscode.TreeItem {
		const tooltip = new vscode.MarkdownString([
			`**${escape(instance.displayName)}** (${instance.catalogProviderId})`,
			`Endpoint: ${escape(instance.endpoint ?? 'none')}`,
			`Key: ${instance.fromEnvironment ? `$${instance.envVar ?? 'environment'}` : instance.hasKey ? 'stored in the vault' : 'none'}`,
			`Default model: ${escape(instance.defaultModel ?? 'none')}`,
			lastTestLines(instance),
		].join('\n\n'));
		tooltip.isTrusted = { enabledCommands: tooltipCommands };
		item.tooltip = tooltip;
		return item;
	}

	protected async list(): Promise<ProviderInstance[]> {
		// A row whose provider comes from the user's own catalog offers Delete Catalog… (getTreeItem).
		const instances = await this._service.instances();
		return instances.sort((a, b) => a.displayName.localeCompare(b.displayName));
	}
}

/** The last test: passed or why it failed, how long ago (and the time), with links to mend it or test again. */
function lastTestLines(instance: ProviderInstance): string {
	const test = instance.lastTest;
	const link = (title: string, command: string): string => `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([instance.id]))})`;
	const again = link(test ? 'Test Again' : 'Test', 'plue.providers.test');
	if (!test) {
		return `Last test: never tested. ${again}`;
	}
	const when = `${formatAgo(test.testedAt)} (${new Date(test.testedAt).toLocaleString()})`;
	if (test.ok) {
		const models = typeof test.modelCount === 'number' ? `, ${test.modelCount} model${test.modelCount === 1 ? '' : 's'}` : '';
		return `Last test: passed ${when}: answered in ${test.latencyMs} ms${models}. ${again}`;
	}
	const fix = fixFor(instance, test);
	return `Last test: **failed** ${when}: ${escape(test.error ?? 'no reason given')}\n\n${[fix && link(fix.title, fix.command), again].filter(Boolean).join(' · ')}`;
}
