import * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../shared/panelMessages';
import type { Checkpoint } from '../shared/protocol';
import { restoreToMessage } from './checkpointRestore';
import { forwardTranscript, PanelController, PanelDeps, sharedPanelAction } from './panelActions';
import { FetchPage, TranscriptPages } from './transcriptPages';
import { errorText } from '../shared/errorText';

/**
 * What a chat's and a task's controller do alike for one transcript (`id`, a session's or a task's): stream
 * its changes to the webview, page it, show its approval cards, load it again when a sidecar (re)starts, answer
 * the actions both panels share, and show a failure in the panel rather than throw it into the message loop.
 * It also shows the transcript's checkpoints (what each turn changed in the workspace) and restores them.
 * A subclass loads its header and transcript (`load`) and answers its own actions (`handleOwn`).
 */
export abstract class TranscriptController<D extends PanelDeps> implements PanelController {
	protected readonly _subscriptions: vscode.Disposable[];
	protected readonly _pages: TranscriptPages;
	private _checkpoints: Checkpoint[] = [];

	/** `label` names the panel in the log: "Chat s-1", "Task t-1". */
	constructor(protected readonly _id: string, private readonly _webview: vscode.Webview, protected readonly _deps: D, private readonly _label: string, fetchPage: FetchPage) {
		this._pages = new TranscriptPages(fetchPage);
		this._subscriptions = [
			...forwardTranscript(_deps.sidecar, _id, message => this.post(message)),
			// A restarted sidecar (crash, setting change) may have moved on: show what it has. An error shown while it
			// was down ("not running") is over; one the reload meets is shown again.
			_deps.sidecar.onDidStart(() => {
				this.post({ type: 'error', text: undefined });
				void this.load().then(() => this.refreshCheckpoints());
			}),
			// A turn that ended may have changed files: its checkpoint shows on its message.
			_deps.sidecar.onNotification('session/messageUpdated', ({ message }) => {
				if (message.sessionId === _id && message.role === 'assistant' && message.status !== 'streaming') {
					void this.refreshCheckpoints();
				}
			}),
			// A task's tools, and a claude-code chat's, ask before they run.
			_deps.approvals.watch(_id, approvals => this.post({ type: 'approvals', approvals })),
		];
	}

	post(message: HostMessage): void {
		void this._webview.postMessage(message);
	}

	/** Never rejects: failures are shown in the panel. */
	async handle(message: WebviewMessage): Promise<void> {
		const shared = sharedPanelAction(this._deps, message);
		if (shared) {
			return this.attempt(shared);
		}
		switch (message.type) {
			case 'ready':
				await this.load();
				return this.refreshCheckpoints();
			case 'allowSandbox':
				// The call's result part is updated by the sidecar (session/messageUpdated): the card shows the new output.
				return this.attempt(async () => {
					await this._deps.sidecar.request(message.always ? 'sandbox/allowAlways' : 'sandbox/allowOnce', { id: this._id, partId: message.partId });
				});
			case 'loadEarlier':
				return this.attempt(() => this._pages.earlier(m => this.post(m)));
			case 'restoreCheckpoint':
				return this.attempt(() => this.restore(message.messageId));
			case 'showCheckpointDiff':
				return this.attempt(async () => {
					const checkpoint = this._checkpoints.find(c => c.id === message.checkpointId);
					if (!checkpoint) {
						throw new Error('That checkpoint is gone: the chat was restored or reloaded meanwhile.');
					}
					await this._deps.checkpointDiffs.show(this._id, checkpoint);
				});
			default:
				return this.handleOwn(message);
		}
	}

	dispose(): void {
		for (const d of this._subscriptions) {
			d.dispose();
		}
	}

	/** The header and the latest messages: when the panel opens, and when a sidecar (re)starts. Never rejects. */
	protected abstract load(): Promise<void>;

	/** Whether Restore offers the conversation too (a chat's; a task's transcript is the sidecar's to write). */
	protected get restoresConversation(): boolean {
		return false;
	}

	/** The actions only this kind of panel answers. Never rejects. */
	protected abstract handleOwn(message: WebviewMessage): Promise<void>;

	/** The transcript's checkpoints, for the webview's buttons; a failure to read them is logged, not shown. */
	protected async refreshCheckpoints(): Promise<void> {
		try {
			const list = await this._deps.sidecar.request('checkpoint/list', { sessionId: this._id });
			this._checkpoints = list.checkpoints;
			this.post({ type: 'checkpoints', checkpoints: list.checkpoints });
		} catch (error) {
			this._deps.log.warn(`${this._label}: checkpoints not shown: ${errorText(error)}`);
		}
	}

	private async restore(messageId: string): Promise<void> {
		const result = await restoreToMessage(this._deps.sidecar, this._id, messageId, this.restoresConversation);
		if (!result) {
			return;
		}
		if (result.text !== undefined) {
			// The conversation lost the message and what followed: show what is left, and the message to send again.
			await this.load();
			this.post({ type: 'draft', text: result.text });
		}
		await this.refreshCheckpoints();
	}

	/** Runs an action; a failure is shown in the panel and logged, not thrown into the message loop. */
	protected async attempt(action: () => Promise<void>): Promise<void> {
		try {
			await action();
		} catch (error) {
			const text = errorText(error);
			this._deps.log.warn(`${this._label}: ${text}`);
			this.post({ type: 'error', text });
		}
	}
}
