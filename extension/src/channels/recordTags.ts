import * as vscode from 'vscode';
import type { CodexChangedParams } from '../shared/protocol';
import { listByCursor } from '../sidecar/listPages';
import type { Sidecar } from '../sidecar/sidecar';
import { errorText } from '../shared/errorText';

/** The record kinds the Channels view lists. */
const kinds = ['ai-chat', 'task'];

/**
 * The tags of the chats and tasks the Channels view lists (a template's `tags` become its records' tags): read when a
 * sidecar starts, kept current by `codex/changed`.
 */
export class RecordTags implements vscode.Disposable {
	private readonly _tags = new Map<string, string[]>();
	private readonly _onDidChange = new vscode.EventEmitter<void>();
	readonly onDidChange = this._onDidChange.event;
	private readonly _subscriptions: vscode.Disposable[];

	constructor(private readonly _sidecar: Sidecar, private readonly _log: vscode.LogOutputChannel) {
		this._subscriptions = [
			_sidecar.onDidStart(() => void this.read()),
			_sidecar.onNotification('codex/changed', change => this.changed(change)),
		];
	}

	of(id: string): string[] {
		return this._tags.get(id) ?? [];
	}

	/** Every tag a listed chat or task carries, sorted. */
	get all(): string[] {
		return [...new Set([...this._tags.values()].flat())].sort();
	}

	private changed(change: CodexChangedParams): void {
		if (!kinds.includes(change.kind)) {
			return;
		}
		const before = this.of(change.id).join('\n');
		if (change.record && change.record.tags.length > 0) {
			this._tags.set(change.id, change.record.tags);
		} else {
			this._tags.delete(change.id);
		}
		if (this.of(change.id).join('\n') !== before) {
			this._onDidChange.fire();
		}
	}

	private async read(): Promise<void> {
		try {
			// Every page: a store of more than 1,000 chats or tasks has tags past the first.
			const lists = await Promise.all(kinds.map(templateId => listByCursor(cursor => this._sidecar.request('codex/list', { templateId, limit: 1000, ...(cursor ? { cursor } : {}) }))));
			this._tags.clear();
			for (const record of lists.flat().filter(r => r.tags.length > 0)) {
				this._tags.set(record.id, record.tags);
			}
			this._onDidChange.fire();
		} catch (error) {
			this._log.warn(`Reading the tags of chats and tasks: ${errorText(error)}`);
		}
	}

	dispose(): void {
		for (const d of [...this._subscriptions, this._onDidChange]) {
			d.dispose();
		}
	}
}
