import * as vscode from 'vscode';
import type { Sidecar } from './sidecar';
import { errorText } from '../shared/errorText';

/**
 * A view of one flat list the sidecar holds (provider instances, MCP servers): read again whenever `changes` fires
 * or the sidecar starts or stops, empty while it is not running, and empty with `lastError` set when listing fails.
 * A subclass lists (`list`) and draws (`getTreeItem`) its records.
 *
 * A change that keeps the same rows in the same order redraws each row, never the whole tree: VS Code forgets every
 * row of a tree redrawn whole until it has read the tree again, and a row's context-menu command run in between
 * reaches the command without its row. So each row is the tree's own copy of its record, kept current in place: the
 * object VS Code holds for a row stays that row.
 */
export abstract class SidecarListTree<T extends { id: string }> implements vscode.TreeDataProvider<T>, vscode.Disposable {
	private readonly _onDidChangeTreeData = new vscode.EventEmitter<T | T[] | undefined>();
	readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
	private readonly _disposables: vscode.Disposable[];
	/** Each listed record's row, by id. */
	private readonly _rows = new Map<string, T>();
	/** The ids of the rows last listed, in their order; undefined until the tree is read. */
	private _shown: string[] | undefined;
	/** Redraws one after another, so each compares with the rows the one before left. */
	private _redraws: Promise<void> = Promise.resolve();
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
			this._shown = undefined;
			return [];
		}
		try {
			const rows = this.rowsOf(await this.list());
			this.lastError = undefined;
			this._shown = rows.map(row => row.id);
			return rows;
		} catch (error) {
			this.lastError = errorText(error);
			this._log.warn(`Listing ${this._what}: ${this.lastError}`);
			this._shown = undefined;
			return [];
		}
	}

	refresh(): void {
		this._redraws = this._redraws.then(() => this.redraw());
	}

	dispose(): void {
		for (const disposable of this._disposables) {
			disposable.dispose();
		}
	}

	/** The rows each as it is now: the row already shown for a record, made current, else a new copy of it. */
	private rowsOf(records: T[]): T[] {
		const listed = new Set(records.map(record => record.id));
		for (const id of [...this._rows.keys()].filter(id => !listed.has(id))) {
			this._rows.delete(id);
		}
		return records.map(record => {
			const row = this._rows.get(record.id);
			if (!row) {
				const copy = { ...record };
				this._rows.set(record.id, copy);
				return copy;
			}
			for (const key of Object.keys(row)) {
				delete (row as Record<string, unknown>)[key];
			}
			return Object.assign(row, record);
		});
	}

	/** Each row again when the same rows stay in the same order; else the whole tree. */
	private async redraw(): Promise<void> {
		const shown = this._shown;
		if (!shown || shown.length === 0 || this._sidecar.state.kind !== 'running') {
			this._onDidChangeTreeData.fire(undefined);
			return;
		}
		let records: T[];
		try {
			records = await this.list();
		} catch {
			this._onDidChangeTreeData.fire(undefined);
			return;
		}
		if (records.length === shown.length && records.every((record, i) => record.id === shown[i])) {
			this._onDidChangeTreeData.fire(this.rowsOf(records));
		} else {
			this._onDidChangeTreeData.fire(undefined);
		}
	}
}

/** Markdown's special characters in a name or message, shown as they are (a row's tooltip). */
export function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
