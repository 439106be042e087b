import * as vscode from 'vscode';
import { forwardTranscript, PanelController, PanelDeps, sharedPanelAction } from '../panel/panelActions';
import { TranscriptPages } from '../panel/transcriptPages';
import type { AgentTask } from '../shared/protocol';
import type { InstanceNames } from '../providers/instanceNames';
import type { HostMessage, WebviewMessage } from '../shared/panelMessages';
import type { AgentTasks } from './agentTasks';
import { resumeTask } from './taskActions';
import { templateName } from './taskTemplates';

/** What a task panel and the task commands need. */
export interface TaskDeps extends PanelDeps {
	tasks: AgentTasks;
	instances: InstanceNames;
	/** Opens a task's panel. */
	openTask(taskId: string): void;
}

/**
 * Forwards between one task panel's webview and the sidecar: the transcript
 * streams like a chat's (deltas carry the task id as `sessionId`) and pages
 * like a chat's, the header follows `task/updated`, the input steers the
 * running task.
 */
export class TaskController implements PanelController {
	private readonly _subscriptions: vscode.Disposable[];
	private readonly _pages: TranscriptPages;

	constructor(private readonly _taskId: string, private readonly _webview: vscode.Webview, private readonly _deps: TaskDeps) {
		this._pages = new TranscriptPages((limit, beforeSeq) => _deps.sidecar.request('task/messages', { id: _taskId, limit, beforeSeq }));
		this._subscriptions = [
			...forwardTranscript(_deps.sidecar, _taskId, message => this.post(message)),
			_deps.sidecar.onDidStart(() => void this.load()),
			_deps.tasks.onDidChangeTask(task => {
				if (task.id === _taskId) {
					void this.postTask(task);
				}
			}),
			_deps.approvals.watch(_taskId, approvals => this.post({ type: 'approvals', approvals })),
		];
	}

	post(message: HostMessage): void {
		void this._webview.postMessage(message);
	}

	async handle(message: WebviewMessage): Promise<void> {
		const shared = sharedPanelAction(this._deps, message);
		if (shared) {
			return this.attempt(shared);
		}
		const id = this._taskId;
		switch (message.type) {
			case 'ready':
				return this.load();
			case 'send':
				// The webview shows the text at once; the sidecar's copy replaces it when it sends the message.
				return this.attempt(async () => { await this._deps.sidecar.request('task/steer', { id, text: message.text }); });
			case 'interrupt':
			case 'cancel':
				return this.attempt(async () => { await this._deps.sidecar.request('task/interrupt', { id }); });
			case 'resume':
				return this.attempt(async () => { await resumeTask(this._deps, await this._deps.tasks.ensure(id)); });
			case 'loadEarlier':
				return this.attempt(() => this._pages.earlier(m => this.post(m)));
			case 'regenerate':
			case 'editAndResend':
			case 'fork':
			case 'pickModel':
			case 'addFile':
			case 'addImage':
				return; // chat panels only: a task's transcript is the sidecar's to write
		}
	}

	dispose(): void {
		for (const d of this._subscriptions) {
			d.dispose();
		}
	}

	private async load(): Promise<void> {
		await this.attempt(async () => {
			const id = this._taskId;
			const [fetched, { messages, hasMore }] = await Promise.all([this._deps.tasks.ensure(id), this._pages.latest()]);
			// A notification may have come while the messages were read: show the newest copy.
			const task = this._deps.tasks.get(id) ?? fetched;
			this.post({ type: 'taskInit', task, messages, hasMore, templateName: await templateName(this._deps.sidecar, task.templateId) });
			this.post({ type: 'approvals', approvals: this._deps.approvals.for(id) });
		});
	}

	private async postTask(task: AgentTask): Promise<void> {
		this.post({ type: 'task', task, templateName: await templateName(this._deps.sidecar, task.templateId) });
	}

	/** Runs an action; a failure is shown in the panel and logged, not thrown into the message loop. */
	private async attempt(action: () => Promise<void>): Promise<void> {
		try {
			this.post({ type: 'error', text: undefined });
			await action();
		} catch (error) {
			const text = error instanceof Error ? error.message : String(error);
			this._deps.log.warn(`Task ${this._taskId}: ${text}`);
			this.post({ type: 'error', text });
		}
	}
}
