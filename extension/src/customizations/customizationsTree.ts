import * as os from 'node:os';
import * as vscode from 'vscode';
import type { CustomizationItem } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { escapeMarkdown as escape } from '../sidecar/sidecarListTree';

import { CustomizationRow, kinds, rootRows, untrusted } from './customizationRows';
import { errorText } from '../shared/errorText';

export type { CustomizationRow } from './customizationRows';

const icons = {
	used: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
	ignored: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
	problem: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
	untrusted: new vscode.ThemeIcon('workspace-untrusted', new vscode.ThemeColor('problemsWarningIcon.foreground')),
};

/**
 * The `plue.customizations` view: what `customizations/list` answers (found files of every layout and the Plue
 * records of their kinds), grouped by kind, each row its name, source, scope and status. Listed when the sidecar
 * starts and replaced by what `customizations/changed` carries (a file changed, a record written): nothing else makes
 * it list again, so unrelated changes cost nothing. A "Trust this workspace" row leads when files are ignored because
 * the workspace is not trusted.
 */
export class CustomizationsTree implements vscode.TreeDataProvider<CustomizationRow>, vscode.Disposable {
	private readonly _onDidChangeTreeData = new vscode.EventEmitter<CustomizationRow | undefined>();
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private readonly _disposables: vscode.Disposable[];
	private _items: CustomizationItem[] | undefined;
	/** Why the list could not be read the last time, if it could not. */
	lastError: string | undefined;

	constructor(private readonly _sidecar: Sidecar, private readonly _log: vscode.LogOutputChannel) {
		this._disposables = [
			this._onDidChangeTreeData,
			_sidecar.onNotification('customizations/changed', ({ items }) => this.show(items)),
			_sidecar.onDidChangeState(() => {
				this._items = undefined;
				this._onDidChangeTreeData.fire(undefined);
			}),
		];
	}

	/** The items shown now (listing them when none are). */
	async items(): Promise<CustomizationItem[]> {
		if (!this._items && this._sidecar.state.kind === 'running') {
			try {
				this._items = (await this._sidecar.request('customizations/list')).items;
				this.lastError = undefined;
			} catch (error) {
				this.lastError = errorText(error);
				this._log.warn(`Listing customizations: ${this.lastError}`);
			}
		}
		return this._items ?? [];
	}

	/** Lists again (the Refresh button). */
	refresh(): void {
		this._items = undefined;
		this._onDidChangeTreeData.fire(undefined);
	}

	private show(items: CustomizationItem[]): void {
		this._items = items;
		this._onDidChangeTreeData.fire(undefined);
	}

	async getChildren(element?: CustomizationRow): Promise<CustomizationRow[]> {
		if (element) {
			return element.row === 'kind' ? element.items.map(item => ({ row: 'item', item })) : [];
		}
		return rootRows(await this.items());
	}

	getTreeItem(element: CustomizationRow): vscode.TreeItem {
		if (element.row === 'trust') {
			const item = new vscode.TreeItem('Trust this workspace…', vscode.TreeItemCollapsibleState.None);
			item.id = 'trust';
			item.description = `${element.count} ignored because the workspace is not trusted`;
			item.iconPath = icons.untrusted;
			item.command = { command: 'plue.customizations.trust', title: 'Trust this workspace' };
			item.contextValue = 'plue.customizationsTrust';
			item.tooltip = 'A workspace that is not trusted brings no instructions, skills, commands, agents, agent hooks or MCP servers: a repository could plant text that steers the agent. Trust it to use them.';
			return item;
		}
		if (element.row === 'kind') {
			const look = kinds.find(k => k.kind === element.kind)!;
			const item = new vscode.TreeItem(look.label, vscode.TreeItemCollapsibleState.Expanded);
			item.id = `kind:${element.kind}`;
			const used = element.items.filter(i => i.status === 'used').length;
			const ignored = element.items.length - used;
			item.description = [`${used} used`, ignored > 0 ? `${ignored} ignored` : ''].filter(Boolean).join(' · ');
			item.iconPath = new vscode.ThemeIcon(look.icon);
			item.contextValue = 'plue.customizationKind';
			return item;
		}
		const { item: found } = element;
		const label = found.kind === 'command' ? `/${found.name}` : found.name;
		const row = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
		row.id = `item:${found.kind}:${found.source}:${found.name}`;
		const record = found.recordId !== undefined;
		// An instructions file is named by its path: the source is not said twice.
		const source = sourceLabel(found);
		const description = [source === label ? '' : source, found.scope, found.status === 'used' ? 'used' : `ignored: ${found.reason ?? ''}`].filter(Boolean).join(' · ');
		row.description = description;
		row.iconPath = found.status === 'used' ? icons.used : untrusted.test(found.reason ?? '') ? icons.untrusted : /^shadowed by/.test(found.reason ?? '') ? icons.ignored : icons.problem;
		row.contextValue = record ? 'plue.customization.record' : found.kind === 'mcpServer' ? 'plue.customization.file' : 'plue.customization.file.copyable';
		row.tooltip = tooltip(found);
		row.command = record
			? { command: 'plue.customizations.edit', title: 'Edit', arguments: [element] }
			: { command: 'plue.customizations.openFile', title: 'Open File', arguments: [element] };
		row.accessibilityInformation = { label: `${label}, ${found.kind}, ${description}` };
		return row;
	}

	dispose(): void {
		for (const disposable of this._disposables) {
			disposable.dispose();
		}
	}
}

/** "Plue record", or the file's path: relative to its workspace folder, or from `~` for your home's. */
export function sourceLabel(item: CustomizationItem): string {
	if (item.recordId !== undefined) {
		return 'Plue record';
	}
	const home = os.homedir();
	if (item.scope === 'user' && item.source.startsWith(home)) {
		return `~${item.source.slice(home.length)}`;
	}
	return vscode.workspace.asRelativePath(item.source, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

function tooltip(item: CustomizationItem): vscode.MarkdownString {
	const lines = [
		`**${escape(item.name)}** (${item.kind === 'agentHook' ? 'agent hook' : item.kind})`,
		...(item.description ? [escape(item.description)] : []),
		item.recordId !== undefined ? 'A Plue record: edit it in its form, with history and undo.' : `From \`${item.source.replace(/`/g, "'")}\` (${escape(item.layout)}, ${item.scope}). Read-only: Copy to Plue makes an editable record of it.`,
		item.status === 'used' ? 'Used.' : `Ignored: ${escape(item.reason ?? '')}`,
	];
	const markdown = new vscode.MarkdownString(lines.join('\n\n'));
	markdown.supportThemeIcons = false;
	return markdown;
}
