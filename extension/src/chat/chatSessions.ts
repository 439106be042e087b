import * as vscode from 'vscode';
import { CodexChangedParams, Session } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { settle } from '../sidecar/settle';

/**
 * The sessions the Channels tree and the cost status bar show: listed when a sidecar starts, kept current by
 * `session/updated` and by `codex/changed` (a chat record deleted, or changed at a version not told yet: a settings
 * form's save, another window), so no view asks for the list again.
 */
export class ChatSessions implements vscode.Disposable {
	private readonly _sessions = new Map<string, Session>();
	private readonly _onDidChange = new vscode.EventEmitter<void>();
	private readonly _onDidChangeSession = new vscode.EventEmitter<Session>();
	/** Fires when the list changes (any session added, changed or removed). */
	readonly onDidChange = this._onDidChange.event;
	readonly onDidChangeSession = this._onDidChangeSession.event;
	private readonly _subscriptions: vscode.Disposable[];
	/** Why the last `refresh` failed (e.g. the sidecar does not know `session/list` yet). */
	lastError: string | undefined;

	constructor(private readonly _sidecar: Sidecar, private readonly _log: vscode.LogOutputChannel) {
		this._subscriptions = [
			_sidecar.onNotification('session/updated', ({ session }) => this.upsert(session)),
			_sidecar.onNotification('codex/changed', change => {
				if (change.kind === 'ai-chat') {
					void this.changed(change);
				}
			}),
			_sidecar.onDidStart(() => void this.refresh()),
		];
	}

	/** Newest (last updated) first. */
	get all(): Session[] {
		return [...this._sessions.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
	}

	get(id: string): Session | undefined {
		return this._sessions.get(id);
	}

	async refresh(): Promise<void> {
		try {
			// Asked twice so archived sessions are listed whether `archived` filters or includes them.
			const [current, archived] = await Promise.all([
				this._sidecar.request('session/list', {}),
				this._sidecar.request('session/list', { archived: true }),
			]);
			this._sessions.clear();
			for (const session of [...current, ...archived]) {
				this._sessions.set(session.id, session);
			}
			this.lastError = undefined;
		} catch (error) {
			this.lastError = error instanceof Error ? error.message : String(error);
			this._log.warn(`Listing the chat sessions: ${this.lastError}`);
		}
		this._onDidChange.fire();
	}

	/** A chat's record changed: gone, or read again once when its version is newer than the copy held. */
	private async changed(change: CodexChangedParams): Promise<void> {
		if (change.deleted || !change.record) {
			this.remove(change.id);
			return;
		}
		// A chat's own change is told by `session/updated` too, right after: read only what that leaves older.
		await settle();
		if ((this._sessions.get(change.id)?.version ?? -1) >= change.record.version) {
			return;
		}
		try {
			this.upsert(await this._sidecar.request('session/get', { id: change.id }));
		} catch (error) {
			this._log.warn(`Reading the changed chat ${change.record.title}: ${error instanceof Error ? error.message : String(error)}`);
		}
	}

	upsert(session: Session): void {
		this._sessions.set(session.id, session);
		this._onDidChangeSession.fire(session);
		this._onDidChange.fire();
	}

	remove(id: string): void {
		if (this._sessions.delete(id)) {
			this._onDidChange.fire();
		}
	}

	dispose(): void {
		for (const d of [...this._subscriptions, this._onDidChange, this._onDidChangeSession]) {
			d.dispose();
		}
	}
}
