import * as vscode from 'vscode';
import {
	Attachment, Message, SessionCancelRequest, SessionEditAndResendRequest, SessionForkRequest, SessionGetRequest,
	SessionMessagesRequest, SessionRegenerateRequest, SessionSendRequest, SessionSetModelRequest,
} from '../protocol';
import type { AgentTasks } from '../tasks/agentTasks';
import type { Approvals } from '../tasks/approvals';
import { pickAttachmentFile, pickImageFile } from './attachments';
import { ChatClient } from './chatClient';
import { ChatSessions } from './chatSessions';
import { EditorTracker } from './editorTracker';
import { imagesRefusedReason } from './imageRules';
import type { HostMessage, WebviewMessage } from './messages';
import { forwardTranscript, PanelController, sharedPanelAction } from './panelActions';
import { pickInstanceAndModel } from './pickModel';

/** What every chat and task panel needs. */
export interface ChatDeps {
	extensionUri: vscode.Uri;
	client: ChatClient;
	sessions: ChatSessions;
	tasks: AgentTasks;
	approvals: Approvals;
	editors: EditorTracker;
	log: vscode.LogOutputChannel;
	/** Opens a session's panel (a fork opens its new session). */
	open(sessionId: string): void;
	/** Opens a task's panel. */
	openTask(taskId: string): void;
}

/** How many messages a panel shows when it opens, and fetches each time it is asked for earlier ones. */
export const chatPageSize = 200;

/** Forwards between one chat panel's webview and the sidecar, for one session. */
export class ChatController implements PanelController {
	private readonly _subscriptions: vscode.Disposable[];
	private _busy = 0;
	/** How many messages the webview holds, and the seq of the oldest: a reload keeps that many, earlier pages start before it. */
	private _shown = 0;
	private _oldestSeq: number | undefined;

	constructor(private readonly _sessionId: string, private readonly _webview: vscode.Webview, private readonly _deps: ChatDeps) {
		const mine = (sessionId: string): boolean => sessionId === _sessionId;
		this._subscriptions = [
			...forwardTranscript(_deps.client, _sessionId, message => this.post(message)),
			// A restarted sidecar (crash, setting change) may have moved on: show what it has.
			_deps.client.onDidStart(() => void this.load()),
			_deps.sessions.onDidChangeSession(session => {
				if (mine(session.id)) {
					void this.postSession();
				}
			}),
			// A claude-code chat asks before its tools run.
			_deps.approvals.watch(_sessionId, approvals => this.post({ type: 'approvals', approvals })),
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
		const sessionId = this._sessionId;
		switch (message.type) {
			case 'ready':
				return this.load();
			case 'send':
				return this.reply(() => this._deps.client.request(SessionSendRequest.type, { sessionId, text: message.text, attachments: message.attachments }));
			case 'regenerate':
				return this.reply(() => this._deps.client.request(SessionRegenerateRequest.type, { sessionId }));
			case 'editAndResend':
				return this.reply(() => this._deps.client.request(SessionEditAndResendRequest.type, { sessionId, messageId: message.messageId, text: message.text }));
			case 'cancel':
				return this.attempt(async () => { await this._deps.client.request(SessionCancelRequest.type, { sessionId }); });
			case 'fork':
				return this.attempt(async () => {
					const forked = await this._deps.client.request(SessionForkRequest.type, { sessionId, messageId: message.messageId });
					this._deps.sessions.upsert(forked);
					this._deps.open(forked.id);
				});
			case 'pickModel':
				return this.attempt(() => this.pickModel());
			case 'addFile':
				return this.attempt(async () => this.addAttachment(await pickAttachmentFile()));
			case 'addImage':
				return this.attempt(async () => {
					this.checkImagesTaken();
					this.addAttachment(await pickImageFile());
				});
			case 'loadEarlier':
				return this.attempt(() => this.loadEarlier());
			case 'interrupt':
			case 'resume':
				return; // task panels only
		}
	}

	dispose(): void {
		for (const d of this._subscriptions) {
			d.dispose();
		}
	}

	/**
	 * The session and its latest messages: one page when the panel opens; after a reply as many as were
	 * shown plus the two a turn adds, so earlier pages the user fetched stay in view.
	 */
	private async load(): Promise<void> {
		await this.attempt(async () => {
			const sessionId = this._sessionId;
			const [session, { messages, hasMore }] = await Promise.all([
				this._deps.client.request(SessionGetRequest.type, { id: sessionId }),
				this._deps.client.request(SessionMessagesRequest.type, { id: sessionId, limit: Math.max(chatPageSize, this._shown + 2) }),
			]);
			this._deps.sessions.upsert(session);
			this._shown = messages.length;
			this._oldestSeq = messages[0]?.seq;
			this.post({ type: 'init', session, messages, hasMore, instanceName: await this._deps.client.instanceName(session.instanceId) });
		});
		this.post({ type: 'busy', busy: this._busy > 0 });
	}

	private async loadEarlier(): Promise<void> {
		if (this._oldestSeq === undefined) {
			this.post({ type: 'earlier', messages: [], hasMore: false });
			return;
		}
		try {
			const { messages, hasMore } = await this._deps.client.request(SessionMessagesRequest.type, { id: this._sessionId, limit: chatPageSize, beforeSeq: this._oldestSeq });
			this._shown += messages.length;
			this._oldestSeq = messages[0]?.seq ?? this._oldestSeq;
			this.post({ type: 'earlier', messages, hasMore });
		} catch (error) {
			// The webview waits for an answer to re-enable its button: give it one, then report.
			this.post({ type: 'earlier', messages: [], hasMore: true });
			throw error;
		}
	}

	private addAttachment(attachment: Attachment | undefined): void {
		if (!attachment) {
			return;
		}
		if (attachment.kind === 'image') {
			this.checkImagesTaken();
		}
		this.post({ type: 'addAttachment', attachment });
	}

	/** Throws the reason when the session's model does not take images. */
	private checkImagesTaken(): void {
		const refused = imagesRefusedReason(this._deps.sessions.get(this._sessionId));
		if (refused) {
			throw new Error(refused);
		}
	}

	/** Runs a request that generates a reply (streamed meanwhile), then reloads the messages as the sidecar stored them. */
	private async reply(run: () => Promise<Message>): Promise<void> {
		this._busy++;
		this.post({ type: 'busy', busy: true });
		this.post({ type: 'error', text: undefined });
		try {
			await this.attempt(async () => { await run(); });
		} finally {
			this._busy--;
			this.post({ type: 'busy', busy: this._busy > 0 });
		}
		await this.load();
	}

	private async postSession(): Promise<void> {
		const session = this._deps.sessions.get(this._sessionId);
		if (session) {
			this.post({ type: 'session', session, instanceName: await this._deps.client.instanceName(session.instanceId) });
		}
	}

	private async pickModel(): Promise<void> {
		const picked = await pickInstanceAndModel(this._deps.client);
		if (!picked) {
			return;
		}
		const session = await this._deps.client.request(SessionSetModelRequest.type, { id: this._sessionId, instanceId: picked.instanceId, modelId: picked.modelId });
		this._deps.sessions.upsert(session);
	}

	/** Runs an action; a failure is shown in the panel and logged, not thrown into the message loop. */
	private async attempt(action: () => Promise<void>): Promise<void> {
		try {
			await action();
		} catch (error) {
			const text = error instanceof Error ? error.message : String(error);
			this._deps.log.warn(`Chat ${this._sessionId}: ${text}`);
			this.post({ type: 'error', text });
		}
	}
}
