import type { QueuedMessage, SessionQueueChangedParams } from '../shared/protocol';

/**
 * The panel's copy of a chat's or a task's queue: read whole when the panel loads (`reset`), then kept by the changes
 * `session/queueChanged` tells one at a time. A copy whose length then differs from the sidecar's count (read while
 * changes were on their way) is read again. The webview gets the queue at most once per `coalesceMs`, so a burst of
 * changes is one post.
 */
export class QueueMirror {
	private _queued: QueuedMessage[] = [];
	private _posting: ReturnType<typeof setTimeout> | undefined;
	private _reading = false;

	constructor(private readonly _read: () => Promise<QueuedMessage[]>, private readonly _show: (queued: QueuedMessage[]) => void, private readonly _coalesceMs = 50) {}

	reset(queued: QueuedMessage[]): void {
		this._queued = [...queued];
		this.show();
	}

	apply(change: SessionQueueChangedParams): void {
		if (change.added) {
			this._queued.push(change.added);
		}
		if (change.edited) {
			const edited = change.edited;
			this._queued = this._queued.map(q => q.id === edited.id ? edited : q);
		}
		if (change.removed) {
			this._queued = this._queued.filter(q => q.id !== change.removed);
		}
		if (change.movedToFront) {
			const moved = this._queued.find(q => q.id === change.movedToFront);
			if (moved) {
				this._queued = [moved, ...this._queued.filter(q => q !== moved)];
			}
		}
		if (this._queued.length !== change.count) {
			void this.readAgain();
			return;
		}
		this.scheduleShow();
	}

	dispose(): void {
		clearTimeout(this._posting);
	}

	private async readAgain(): Promise<void> {
		if (this._reading) {
			return;
		}
		this._reading = true;
		try {
			this._queued = await this._read();
			this.scheduleShow();
		} catch {
			// The sidecar went away: its restart loads the panel again.
		} finally {
			this._reading = false;
		}
	}

	private scheduleShow(): void {
		this._posting ??= setTimeout(() => this.show(), this._coalesceMs);
	}

	private show(): void {
		clearTimeout(this._posting);
		this._posting = undefined;
		this._show([...this._queued]);
	}
}
