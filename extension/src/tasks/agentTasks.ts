import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import { AgentTask } from '../shared/protocol';
import { isActive, isClockRunning } from '../shared/taskStatus';
import { listInPages } from '../sidecar/listPages';
import { RecordStore } from '../sidecar/recordStore';

/**
 * The agent tasks the tree, the status bar and the task panels show: a store of the tasks' views (`RecordStore`),
 * listed when a sidecar starts and kept by `codex/changed`, which carries a task's view whenever its record or its
 * live state changes (status, approval, cost). A notification always wins over a request's result, which may have
 * been read before it.
 */
export class AgentTasks implements vscode.Disposable {
	private readonly _store: RecordStore<'task', AgentTask>;
	/** When each task's copy arrived, so a running task's elapsed time can be counted on between updates. */
	private readonly _receivedAt = new Map<string, number>();
	/** Fires when any task is added, changed or removed. */
	readonly onDidChange: vscode.Event<void>;
	/** Fires with each task the sidecar tells of. */
	readonly onDidChangeTask: vscode.Event<AgentTask>;
	/** Fires when the whole list was read again. */
	readonly onDidReset: vscode.Event<void>;
	private readonly _subscriptions: vscode.Disposable[];

	constructor(private readonly _sidecar: Sidecar, log: vscode.LogOutputChannel) {
		this._store = new RecordStore(_sidecar, { kind: 'task', what: 'agent tasks', list: () => listInPages((limit, after) => _sidecar.request('task/list', { limit, ...(after ? { after } : {}) })), item: view => view.task }, log);
		this.onDidChange = this._store.onDidChange;
		this.onDidChangeTask = this._store.onDidChangeItem;
		this.onDidReset = this._store.onDidReset;
		const stamp = (task: AgentTask, now = Date.now()): void => void this._receivedAt.set(task.id, now);
		this._subscriptions = [
			this._store.onDidChangeItem(task => stamp(task)),
			this._store.onDidReset(() => {
				const now = Date.now();
				this._receivedAt.clear();
				this._store.all.forEach(task => stamp(task, now));
			}),
		];
	}

	/** Why the last `refresh` failed (e.g. a sidecar without `task/list`). */
	get lastError(): string | undefined {
		return this._store.lastError;
	}

	get all(): AgentTask[] {
		return this._store.all;
	}

	/** Tasks the user started (or whose parent is not known here), newest first. */
	get roots(): AgentTask[] {
		return this.all.filter(task => !task.parentId || !this._store.get(task.parentId)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
	}

	/** A task's sub-tasks in the order they were spawned. */
	children(id: string): AgentTask[] {
		return this.all.filter(task => task.parentId === id).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
	}

	get(id: string): AgentTask | undefined {
		return this._store.get(id);
	}

	/** The task, asking the sidecar when it is not known yet. */
	async ensure(id: string): Promise<AgentTask> {
		const known = this._store.get(id);
		if (known) {
			return known;
		}
		const task = await this._sidecar.request('task/get', { id });
		this.seed(task);
		return this._store.get(id) ?? task;
	}

	/** Time spent running, counted on locally while the task runs (waiting for approval is part of a run). */
	elapsedMs(task: AgentTask, now = Date.now()): number {
		const since = this._receivedAt.get(task.id);
		return task.elapsedMs + (isClockRunning(task) && since !== undefined ? Math.max(0, now - since) : 0);
	}

	get activeCount(): number {
		return this.all.filter(isActive).length;
	}

	refresh(): Promise<void> {
		return this._store.refresh();
	}

	/** The sidecar's latest word on a task. */
	upsert(task: AgentTask): void {
		this._store.put(task);
	}

	/** A request's result: kept only when no notification has told us about the task yet. */
	seed(task: AgentTask): void {
		this._store.seed(task);
	}

	dispose(): void {
		for (const d of [...this._subscriptions, this._store]) {
			d.dispose();
		}
	}
}
