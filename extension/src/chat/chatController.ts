import * as vscode from 'vscode';
import type { Attachment, SessionMessage } from '../shared/protocol';
import { forwardTranscript, PanelController, PanelDeps, sharedPanelAction } from '../panel/panelActions';
import { TranscriptPages } from '../panel/transcriptPages';
import type { InstanceNames } from '../providers/instanceNames';
import { pickInstanceAndModel } from '../providers/pickModel';
import { imagesRefusedReason } from '../shared/imageRules';
import type { HostMessage, WebviewMessage } from '../shared/panelMessages';
import { pickAttachmentFile, pickImageFile } from './attachments';
import type { ChatSessions } from './chatSessions';

/** What a chat panel needs. */
export interface ChatDeps extends PanelDeps {
	sessions: ChatSessions;
	instances: InstanceNames;
	/** Opens a session's panel (a fork opens its new session). */
	open(sessionId: string): void;
}

/**
 * Forwards between one chat panel's webview and the sidecar, for one session.
 * A turn's messages reach the panel one by one (the streamed deltas, each
 * `session/messageUpdated`, and the request's own result), so the panel never
 * reloads the transcript after a reply.
 */
export class ChatController implements PanelController {
	private readonly _subscriptions: vscode.Disposable[];
	private readonly _pages: TranscriptPages;
	private _busy = 0;

	constructor(private readonly _sessionId: string, private readonly _webview: vscode.Webview, private readonly _deps: ChatDeps) {
		this._pages = new TranscriptPages((limit, beforeSeq) => _deps.sidecar.request('session/messages', { id: _sessionId, limit, beforeSeq }));
		this._subscriptions = [
			...forwardTranscript(_deps.sidecar, _sessionId, message => this.post(message)),
			// A restarted sidecar (crash, setting change) may have moved on: show what it has.
			_deps.sidecar.onDidStart(() => void this.load()),
			_deps.sessions.onDidChangeSession(session => {
				if (session.id === _sessionId) {
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
		const sidecar = this._deps.sidecar;
		switch (message.type) {
			case 'ready':
				return this.load();
			case 'send':
				return this.reply(() => sidecar.request('session/send', { sessionId, text: message.text, attachments: message.attachments }));
			case 'regenerate':
				return this.reply(() => sidecar.request('session/regenerate', { sessionId }));
			case 'editAndResend':
				return this.reply(() => sidecar.request('session/editAndResend', { sessionId, messageId: message.messageId, text: message.text }));
			case 'cancel':
				return this.attempt(async () => { await sidecar.request('session/cancel', { sessionId }); });
			case 'fork':
				return this.attempt(async () => {
					const forked = await sidecar.request('session/fork', { sessionId, messageId: message.messageId });
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
				return this.attempt(() => this._pages.earlier(m => this.post(m)));
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

	/** The session and its latest messages: when the panel opens, and when a sidecar (re)starts. */
	private async load(): Promise<void> {
		await this.attempt(async () => {
			const sessionId = this._sessionId;
			const [session, { messages, hasMore }] = await Promise.all([
				this._deps.sidecar.request('session/get', { id: sessionId }),
				this._pages.latest(),
			]);
			this._deps.sessions.upsert(session);
			this.post({ type: 'init', session, messages, hasMore, instanceName: await this._deps.instances.nameOf(session.instanceId) });
		});
		this.post({ type: 'busy', busy: this._busy > 0 });
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

	/**
	 * Runs a request that generates a reply (streamed meanwhile) and puts the reply it answers, as stored, in
	 * place of the streamed one. A refused or failed request may have changed what the sidecar holds (an
	 * edit supersedes messages before it answers): then the transcript is read again.
	 */
	private async reply(run: () => Promise<SessionMessage>): Promise<void> {
		this._busy++;
		this.post({ type: 'busy', busy: true });
		this.post({ type: 'error', text: undefined });
		let failed = false;
		try {
			await this.attempt(async () => {
				try {
					this.post({ type: 'message', message: await run() });
					this._pages.added(2);
				} catch (error) {
					failed = true;
					throw error;
				}
			});
		} finally {
			this._busy--;
			this.post({ type: 'busy', busy: this._busy > 0 });
		}
		if (failed) {
			await this.load();
		}
	}

	private async postSession(): Promise<void> {
		const session = this._deps.sessions.get(this._sessionId);
		if (session) {
			this.post({ type: 'session', session, instanceName: await this._deps.instances.nameOf(session.instanceId) });
		}
	}

	private async pickModel(): Promise<void> {
		const picked = await pickInstanceAndModel(this._deps.sidecar, this._deps.instances);
		if (!picked) {
			return;
		}
		const session = await this._deps.sidecar.request('session/setModel', { id: this._sessionId, instanceId: picked.instanceId, modelId: picked.modelId });
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
