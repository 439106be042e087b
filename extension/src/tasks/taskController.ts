import * as vscode from 'vscode';
import type { PanelDeps } from '../panel/panelActions';
import { composerRequest } from '../panel/composerRequests';
import { TranscriptController } from '../panel/transcriptController';
import type { AgentTask } from '../shared/protocol';
import type { Mentions } from '../panel/mentions';
import type { InstanceNames } from '../providers/instanceNames';
import type { WebviewMessage } from '../shared/panelMessages';
import type { AgentTasks } from './agentTasks';
import { resumeTask } from './taskActions';
import { templateName } from './taskTemplates';
import { headerLooks } from '../panel/headerLooks';
import { QueueMirror } from '../panel/queueMirror';

/** What a task panel and the task commands need. */
export interface TaskDeps extends PanelDeps {
	tasks: AgentTasks;
	instances: InstanceNames;
	/** What the new task goal's `@` offers. */
	mentions: Mentions;
	/** Opens a task's panel. */
	openTask(taskId: string): void;
}

/**
 * Forwards between one task panel's webview and the sidecar: the transcript
 * streams like a chat's (deltas carry the task id as `sessionId`) and pages
 * like a chat's, the header follows the task's view (`codex/changed`), the input queues a
 * message to the running task (shown above the input, sent when its model turn ends, or at once
 * with Send now), the queue told like a chat's (`session/queueChanged` with the task id); its `/` menu lists the
 * commands and MCP prompts a chat's does.
 */
export class TaskController extends TranscriptController<TaskDeps> {
	private readonly _queue = new QueueMirror(() => this._deps.sidecar.request('task/queue', { id: this._id }), queued => this.post({ type: 'queued', queued }));

	constructor(taskId: string, webview: vscode.Webview, deps: TaskDeps) {
		super(taskId, webview, deps, `Task ${taskId}`, (limit, beforeSeq) => deps.sidecar.request('task/messages', { id: taskId, limit, beforeSeq }));
		this._subscriptions.push(deps.tasks.onDidChangeTask(task => {
			if (task.id === taskId) {
				void this.postTask(task);
			}
		}), deps.sidecar.onNotification('session/queueChanged', change => {
			if (change.sessionId === taskId) {
				this._queue.apply(change);
			}
		}), { dispose: () => this._queue.dispose() });
	}

	protected handleOwn(message: WebviewMessage): Promise<void> {
		const id = this._id;
		switch (message.type) {
			case 'send':
				// Queued in the sidecar (kept across a restart); the webview shows it in the queue until it is sent.
				return this.attempt(async () => { await this._deps.sidecar.request('task/enqueue', { id, text: message.text }); });
			case 'steer':
				return this.attempt(async () => { await this._deps.sidecar.request('task/steerQueued', { id: message.id }); });
			case 'queueEdit':
				return this.attempt(async () => { await this._deps.sidecar.request('session/queueEdit', { id: message.id, text: message.text }); });
			case 'queueRemove':
				return this.attempt(async () => { await this._deps.sidecar.request('session/queueRemove', { id: message.id }); });
			case 'interrupt':
			case 'cancel':
				return this.attempt(async () => { await this._deps.sidecar.request('task/interrupt', { id }); });
			case 'resume':
				return this.attempt(async () => { await resumeTask(this._deps, await this._deps.tasks.ensure(id)); });
			case 'promptSearch':
			case 'usePrompt':
				// The input's `/` menu, answered as a chat's is (a task's input takes no attachment).
				return this.attempt(async () => { await composerRequest(this._deps.mentions, message, m => this.post(m), () => undefined, false)?.(); });
			default:
				return Promise.resolve(); // chat panels' (regenerate, edit, fork, model, attachments): a task's transcript is the sidecar's to write
		}
	}

	/** The task and its latest messages. */
	protected async load(): Promise<void> {
		await this.attempt(async () => {
			const id = this._id;
			const [fetched, { messages, hasMore }, queued] = await Promise.all([this._deps.tasks.ensure(id), this._pages.latest(), this._deps.sidecar.request('task/queue', { id })]);
			// A notification may have come while the messages were read: show the newest copy.
			const task = this._deps.tasks.get(id) ?? fetched;
			const [name, looks] = [await templateName(this._deps.sidecar, task.templateId), await headerLooks(this._deps.sidecar, task.templateId)];
			this.post({ type: 'taskInit', task: this.asOfNow(task), messages, hasMore, templateName: name, looks });
			this.post({ type: 'approvals', approvals: this._deps.approvals.for(id) });
			this._queue.reset(queued);
		});
	}

	private async postTask(task: AgentTask): Promise<void> {
		const [name, looks] = [await templateName(this._deps.sidecar, task.templateId), await headerLooks(this._deps.sidecar, task.templateId)];
		this.post({ type: 'task', task: this.asOfNow(task), templateName: name, looks });
	}

	/**
	 * The task with its elapsed time as the tree counts it now: the copy the window holds may be minutes old (a running
	 * task is told again only when something changes), and the panel counts on from when its copy arrives.
	 */
	private asOfNow(task: AgentTask): AgentTask {
		return { ...task, elapsedMs: this._deps.tasks.elapsedMs(task) };
	}

	/** Each action first clears the error the last one showed (a chat clears it when a turn starts). */
	protected override attempt(action: () => Promise<void>): Promise<void> {
		return super.attempt(async () => {
			this.post({ type: 'error', text: undefined });
			await action();
		});
	}
}
