import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import { AgentTask, CodexChangedParams } from '../shared/protocol';
import { isActive, isClockRunning } from '../shared/taskStatus';
import { settle } from '../sidecar/settle';

/**
 * The agent tasks the tree, the status bar and the task panels show: listed
 * when a sidecar starts, kept current by `task/updated`. A notification always
 * wins over a request's result, which may have been read before it.
 */
export class AgentTasks implements vscode.Disposable {
	private readonly _tasks = new Map<string, AgentTask>();
	/** When each task's copy arrived, so a running task's elapsed time can be counted on between updates. */
	private readonly _receivedAt = new Map<string, number>();
	private readonly _onDidChange = new vscode.EventEmitter<void>();
	private readonly _onDidChangeTask = new vscode.EventEmitter<AgentTask>();
	private readonly _onDidReset = new vscode.EventEmitter<void>();
	/** Fires when any task is added, changed or removed. */
	readonly onDidChange = this._onDidChange.event;
	/** Fires with each task the sidecar tells of. */
	readonly onDidChangeTask = this._onDidChangeTask.event;
	/** Fires when the whole list was read again. */
	readonly onDidReset = this._onDidReset.event;
	private readonly _subscriptions: vscode.Disposable[];
	/** Why the last `refresh` failed (e.g. a sidecar without `task/list`). */
	lastError: string | undefined;

	constructor(private readonly _sidecar: Sidecar, private readonly _log: vscode.LogOutputChannel) {
		this._subscriptions = [
			_sidecar.onNotification('task/updated', ({ task }) => this.upsert(task)),
			_sidecar.onNotification('codex/changed', change => {
				if (change.kind === 'task') {
					void this.changed(change);
				}
			}),
			_sidecar.onDidStart(() => void this.refresh()),
		];
	}

	get all(): AgentTask[] {
		return [...this._tasks.values()];
	}

	/** Tasks the user started (or whose parent is not known here), newest first. */
	get roots(): AgentTask[] {
		return this.all.filter(task => !task.parentId || !this._tasks.has(task.parentId)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
	}

	/** A task's sub-tasks in the order they were spawned. */
	children(id: string): AgentTask[] {
		return this.all.filter(task => task.parentId === id).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
	}

	get(id: string): AgentTask | undefined {
		return this._tasks.get(id);
	}

	/** The task, asking the sidecar when it is not known yet. */
	async ensure(id: string): Promise<AgentTask> {
		const known = this._tasks.get(id);
		if (known) {
			return known;
		}
		const task = await this._sidecar.request('task/get', { id });
		this.seed(task);
		return this._tasks.get(id) ?? task;
	}

	/** Time spent running, counted on locally while the task runs (waiting for approval is part of a run). */
	elapsedMs(task: AgentTask, now = Date.now()): number {
		const since = this._receivedAt.get(task.id);
		return task.elapsedMs + (isClockRunning(task) && since !== undefined ? Math.max(0, now - since) : 0);
	}

	get activeCount(): number {
		return this.all.filter(isActive).length;
	}

	async refresh(): Promise<void> {
		try {
			const tasks = await this._sidecar.request('task/list', {});
			this._tasks.clear();
			const now = Date.now();
			for (const task of tasks) {
				this._tasks.set(task.id, task);
				this._receivedAt.set(task.id, now);
			}
			this.lastError = undefined;
		} catch (error) {
			this.lastError = error instanceof Error ? error.message : String(error);
			this._log.warn(`Listing the agent tasks: ${this.lastError}`);
		}
		this._onDidReset.fire();
		this._onDidChange.fire();
	}

	/** A task's record changed (a settings form, another window): gone, or read again when newer than the copy held. */
	private async changed(change: CodexChangedParams): Promise<void> {
		if (change.deleted || !change.record) {
			if (this._tasks.delete(change.id)) {
				this._onDidReset.fire();
				this._onDidChange.fire();
			}
			return;
		}
		// A task's own change is told by `task/updated` too, right after: read only what that leaves older.
		await settle();
		if ((this._tasks.get(change.id)?.version ?? -1) >= change.record.version) {
			return;
		}
		try {
			this.upsert(await this._sidecar.request('task/get', { id: change.id }));
		} catch (error) {
			this._log.warn(`Reading the changed task ${change.record.title}: ${error instanceof Error ? error.message : String(error)}`);
		}
	}

	/** The sidecar's latest word on a task (a notification). */
	upsert(task: AgentTask): void {
		this._tasks.set(task.id, task);
		this._receivedAt.set(task.id, Date.now());
		this._onDidChangeTask.fire(task);
		this._onDidChange.fire();
	}

	/** A request's result: kept only when no notification has told us about the task yet. */
	seed(task: AgentTask): void {
		if (!this._tasks.has(task.id)) {
			this.upsert(task);
		}
	}

	dispose(): void {
		for (const d of [...this._subscriptions, this._onDidChange, this._onDidChangeTask, this._onDidReset]) {
			d.dispose();
		}
	}
}
