import * as vscode from 'vscode';
import type { Sidecar } from './sidecar';

/**
 * A view of one flat list the sidecar holds (provider instances, MCP servers): read again whenever `changes` fires
 * or the sidecar starts or stops, empty while it is not running, and empty with `lastError` set when listing fails.
 * A subclass lists (`list`) and draws (`getTreeItem`) its records.
 */
export abstract class SidecarListTree<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
	private readonly _onDidChangeTreeData = new vscode.EventEmitter<T | undefined>();
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private readonly _disposables: vscode.Disposable[];
	/** Why the list could not be read the last time, if it could not. */
	lastError: string | undefined;

	/** `what` names the list in the log: "MCP servers". */
	constructor(changes: vscode.Event<unknown>, private readonly _sidecar: Sidecar, private readonly _log: vscode.LogOutputChannel, private readonly _what: string) {
		this._disposables = [
			this._onDidChangeTreeData,
			changes(() => this.refresh()),
			_sidecar.onDidChangeState(() => this.refresh()),
		];
	}

	abstract getTreeItem(element: T): vscode.TreeItem;

	protected abstract list(): Promise<T[]>;

	async getChildren(element?: T): Promise<T[]> {
		if (element || this._sidecar.state.kind !== 'running') {
			return [];
		}
		try {
			const items = await this.list();
			this.lastError = undefined;
			return items;
		} catch (error) {
			this.lastError = error instanceof Error ? error.message : String(error);
			this._log.warn(`Listing ${this._what}: ${this.lastError}`);
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

/** Markdown's special characters in a name or message, shown as they are (a row's tooltip). */
export function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
