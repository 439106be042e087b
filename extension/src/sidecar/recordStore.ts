import * as vscode from 'vscode';
import type { CodexChangedParams, RecordView } from '../shared/protocol';
import type { Sidecar } from './sidecar';
import { errorText } from '../shared/errorText';

/** The kinds whose records the sidecar tells with a view of their own. */
export type ViewKind = RecordView['kind'];

/** The view of one kind, as `codex/changed` carries it. */
export type ViewOf<K extends ViewKind> = Extract<RecordView, { kind: K }>;

/** How a store lists its kind when the sidecar starts, and finds the item in the kind's view. */
export interface RecordStoreSource<K extends ViewKind, T extends { id: string }> {
	kind: K;
	/** Names the list in the log: "MCP servers". */
	what: string;
	list(): Promise<T[]>;
	item(view: ViewOf<K>): T;
}

/**
 * The records of one kind as their views, keyed by id: listed once when the sidecar starts, then kept by the feed
 * alone. Every `codex/changed` carries the record's view as it is now (a commit from any door, any window or the
 * command line, and a feature's live change: a turn starting, a task's cost moving), so a change is applied as told
 * and a deleted record dropped; nothing is read again after a change, and nothing waits for a second notification.
 */
export class RecordStore<K extends ViewKind, T extends { id: string }> implements vscode.Disposable {
	private readonly _items = new Map<string, T>();
	private readonly _onDidChange = new vscode.EventEmitter<void>();
	private readonly _onDidChangeItem = new vscode.EventEmitter<T>();
	private readonly _onDidReset = new vscode.EventEmitter<void>();
	private readonly _subscriptions: vscode.Disposable[];
	private _loaded: Promise<void> = Promise.resolve();
	/** Fires when any item is added, changed or removed, and after a list. */
	readonly onDidChange = this._onDidChange.event;
	/** Fires with each item the sidecar tells of. */
	readonly onDidChangeItem = this._onDidChangeItem.event;
	/** Fires when the whole list was read again (the sidecar started). */
	readonly onDidReset = this._onDidReset.event;
	/** Why the last list failed (e.g. a sidecar without the method). */
	lastError: string | undefined;

	constructor(sidecar: Sidecar, private readonly _source: RecordStoreSource<K, T>, private readonly _log: vscode.LogOutputChannel) {
		this._subscriptions = [
			sidecar.onNotification('codex/changed', change => this.apply(change)),
			sidecar.onDidStart(() => void this.refresh()),
		];
	}

	get all(): T[] {
		return [...this._items.values()];
	}

	get(id: string): T | undefined {
		return this._items.get(id);
	}

	/** Resolves once the list asked for at the sidecar's start (or the latest `refresh`) is in. */
	loaded(): Promise<void> {
		return this._loaded;
	}

	/** Lists the kind again: when the sidecar starts, the feed has told nothing yet. */
	refresh(): Promise<void> {
		this._loaded = this.load();
		return this._loaded;
	}

	/** A change as the feed tells it. */
	apply(change: CodexChangedParams): void {
		if (change.deleted) {
			this.remove(change.id);
		} else if (change.view?.kind === this._source.kind) {
			this.put(this._source.item(change.view as ViewOf<K>));
		}
	}

	/** The sidecar's latest word on an item. */
	put(item: T): void {
		this._items.set(item.id, item);
		this._onDidChangeItem.fire(item);
		this._onDidChange.fire();
	}

	/** A request's result: kept only when the feed has told nothing of the item yet (a notification may be newer). */
	seed(item: T): void {
		if (!this._items.has(item.id)) {
			this.put(item);
		}
	}

	remove(id: string): void {
		if (this._items.delete(id)) {
			this._onDidChange.fire();
		}
	}

	dispose(): void {
		for (const d of [...this._subscriptions, this._onDidChange, this._onDidChangeItem, this._onDidReset]) {
			d.dispose();
		}
	}

	private async load(): Promise<void> {
		try {
			const items = await this._source.list();
			this._items.clear();
			for (const item of items) {
				this._items.set(item.id, item);
			}
			this.lastError = undefined;
		} catch (error) {
			this.lastError = errorText(error);
			this._log.warn(`Listing the ${this._source.what}: ${this.lastError}`);
		}
		this._onDidReset.fire();
		this._onDidChange.fire();
	}
}
