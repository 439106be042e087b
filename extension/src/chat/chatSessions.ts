import * as vscode from 'vscode';
import { Session } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { RecordStore } from '../sidecar/recordStore';
import { listInPages } from '../sidecar/listPages';

/**
 * The sessions the Channels tree and the cost status bar show: a store of the chats' views (`RecordStore`), listed
 * when a sidecar starts and kept by `codex/changed`, which carries each chat's view whenever its record or its live
 * state changes (a turn starting or ending, its cost), so no view asks for a chat again.
 */
export class ChatSessions implements vscode.Disposable {
	private readonly _store: RecordStore<'ai-chat', Session>;
	/** Fires when the list changes (any session added, changed or removed). */
	readonly onDidChange: vscode.Event<void>;
	readonly onDidChangeSession: vscode.Event<Session>;

	constructor(sidecar: Sidecar, log: vscode.LogOutputChannel) {
		this._store = new RecordStore(sidecar, {
			kind: 'ai-chat',
			what: 'chat sessions',
			// Asked twice so archived sessions are listed whether `archived` filters or includes them; each list page by page.
			list: async () => (await Promise.all([false, true].map(archived =>
				listInPages((limit, after) => sidecar.request('session/list', { archived, limit, ...(after ? { after } : {}) }))))).flat(),
			item: view => view.session,
		}, log);
		this.onDidChange = this._store.onDidChange;
		this.onDidChangeSession = this._store.onDidChangeItem;
	}

	/** Why the last `refresh` failed (e.g. the sidecar does not know `session/list` yet). */
	get lastError(): string | undefined {
		return this._store.lastError;
	}

	/** Newest (last updated) first. */
	get all(): Session[] {
		return this._store.all.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
	}

	get(id: string): Session | undefined {
		return this._store.get(id);
	}

	refresh(): Promise<void> {
		return this._store.refresh();
	}

	/** A request's result (a chat just made or moved): its view, as the feed tells it too. */
	upsert(session: Session): void {
		this._store.put(session);
	}

	remove(id: string): void {
		this._store.remove(id);
	}

	dispose(): void {
		this._store.dispose();
	}
}
