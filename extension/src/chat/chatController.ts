import * as vscode from 'vscode';
import type { Attachment, PlanPart, SessionMessage } from '../shared/protocol';
import type { PanelDeps } from '../panel/panelActions';
import { TranscriptController } from '../panel/transcriptController';
import type { InstanceNames } from '../providers/instanceNames';
import { imagesRefusedReason } from '../shared/imageRules';
import type { WebviewMessage } from '../shared/panelMessages';
import { headerLooks } from '../panel/headerLooks';
import { pickImageFile } from '../panel/attachments';
import type { ChatModels } from './chatModels';
import type { ChatModes } from './chatModes';
import { composerRequest } from '../panel/composerRequests';
import type { ChatSessions } from './chatSessions';
import type { Mentions } from '../panel/mentions';
import { autoApprovedRows } from './autoApproved';
import { QueueMirror } from '../panel/queueMirror';

/** Every chat is a record of this template: its header wears the template's icon and colour. */
const chatTemplate = 'ai-chat';

/** What a chat panel needs. */
export interface ChatDeps extends PanelDeps {
	sessions: ChatSessions;
	instances: InstanceNames;
	/** The model a new chat starts on, and the picker that remembers a choice. */
	models: ChatModels;
	/** The modes a chat can be in, and their picker. */
	modes: ChatModes;
	/** What the composer's `@` offers, and the attachments the choices stand for. */
	mentions: Mentions;
	/** Opens a session's panel (a fork opens its new session). */
	open(sessionId: string): void;
}

/** The commands an empty chat's links may run; a webview asking for any other runs nothing. */
const emptyChatCommands = new Set(['plue.providers.add', 'plue.runTask']);

/**
 * Forwards between one chat panel's webview and the sidecar, for one session.
 * A turn's messages reach the panel one by one (the streamed deltas, each
 * `session/messageUpdated`, and the request's own result), so the panel never
 * reloads the transcript after a reply.
 */
export class ChatController extends TranscriptController<ChatDeps> {
	private _busy = 0;
	private readonly _queue = new QueueMirror(() => this._deps.sidecar.request('session/queue', { sessionId: this._id }), queued => this.post({ type: 'queued', queued }));

	constructor(sessionId: string, webview: vscode.Webview, deps: ChatDeps) {
		super(sessionId, webview, deps, `Chat ${sessionId}`, (limit, beforeSeq) => deps.sidecar.request('session/messages', { id: sessionId, limit, beforeSeq }));
		this._subscriptions.push(deps.sessions.onDidChangeSession(session => {
			if (session.id === sessionId) {
				void this.postSession();
				void this.postAutoApproved();
			}
		}), deps.sidecar.onNotification('codex/changed', change => {
			if (change.kind === 'tool-grant') {
				void this.postAutoApproved();
			}
		}), deps.sidecar.onNotification('session/queueChanged', change => {
			if (change.sessionId === sessionId) {
				this._queue.apply(change);
			}
		}), { dispose: () => this._queue.dispose() });
	}

	protected override get restoresConversation(): boolean {
		return true;
	}

	protected handleOwn(message: WebviewMessage): Promise<void> {
		const sessionId = this._id;
		const sidecar = this._deps.sidecar;
		const composer = composerRequest(this._deps.mentions, message, m => this.post(m), (a, mention) => this.addAttachment(a, mention));
		if (composer) {
			return this.attempt(composer);
		}
		switch (message.type) {
			case 'send':
				// Sent while the chat answers, the message is queued: the request answers once it has been sent and
				// answered, or fails as cancelled when the user removed it from the queue (nothing to show then).
				return this.reply(async () => {
					try {
						return await sidecar.request('session/send', { sessionId, text: message.text, attachments: message.attachments });
					} catch (error) {
						if (isRemovedFromQueue(error)) {
							return undefined;
						}
						throw error;
					}
				});
			case 'steer':
				return this.attempt(async () => { await sidecar.request('session/steer', { id: message.id }); });
			case 'queueEdit':
				return this.attempt(async () => { await sidecar.request('session/queueEdit', { id: message.id, text: message.text }); });
			case 'queueRemove':
				return this.attempt(async () => { await sidecar.request('session/queueRemove', { id: message.id }); });
			case 'revokeGrant':
				return this.attempt(async () => {
					await sidecar.request('permissions/reset', { id: message.id });
					await this.postAutoApproved();
				});
			case 'compact':
				return this.reply(() => sidecar.request('session/compact', { sessionId, focus: message.focus }), 1);
			case 'addSystem':
				return this.reply(() => sidecar.request('session/addSystem', { sessionId, text: message.text }), 1);
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
			case 'startPlan':
				if (message.asTask) {
					return this.attempt(() => this.startPlanAsTask(message.messageId));
				}
				// The chat goes into Agent mode and a turn carries the plan; its steps tick off on the plan card.
				return this.reply(async () => {
					const answer = await sidecar.request('session/startPlan', { sessionId, messageId: message.messageId });
					this._deps.sessions.upsert(await sidecar.request('session/get', { id: sessionId }));
					return answer;
				});
			case 'runCommand':
				return this.attempt(async () => {
					if (emptyChatCommands.has(message.command)) {
						await vscode.commands.executeCommand(message.command);
					}
				});
			case 'rename':
				return this.attempt(async () => { await vscode.commands.executeCommand('plue.chat.rename', sessionId); });
			case 'pickModel':
				return this.attempt(() => this.pickModel());
			case 'pickMode':
				return this.attempt(() => this.pickMode());
			case 'openSettings':
				return this.attempt(async () => { await vscode.commands.executeCommand('plue.settings.openRecord', sessionId); });
			case 'addImage':
				return this.attempt(async () => {
					this.checkImagesTaken();
					this.addAttachment(await pickImageFile());
				});
			default:
				return Promise.resolve(); // task panels' (interrupt, resume)
		}
	}

	/** The session and its latest messages. */
	protected async load(): Promise<void> {
		await this.attempt(async () => {
			const sessionId = this._id;
			const [session, { messages, hasMore }, queued] = await Promise.all([
				this._deps.sidecar.request('session/get', { id: sessionId }),
				this._pages.latest(),
				this._deps.sidecar.request('session/queue', { sessionId }),
			]);
			this._deps.sessions.upsert(session);
			this.post({ type: 'init', session, messages, hasMore, instanceName: await this._deps.instances.nameOf(session.instanceId), looks: await headerLooks(this._deps.sidecar, chatTemplate), modeName: await this._deps.modes.nameOf(session), sandboxPolicy: await this._deps.modes.sandboxOf(session) });
			this._queue.reset(queued);
			await this.postAutoApproved();
		});
		this.post({ type: 'busy', busy: this._busy > 0 });
	}

	/** The composer's list of what runs without asking here; a sidecar that cannot tell leaves the list as it was. */
	private async postAutoApproved(): Promise<void> {
		const session = this._deps.sessions.get(this._id);
		if (!session) {
			return;
		}
		try {
			this.post({ type: 'autoApproved', rows: await autoApprovedRows(this._deps.sidecar, session) });
		} catch {
			// Shown again at the next change; the chat itself works without it.
		}
	}

	private addAttachment(attachment: Attachment | undefined, mention?: string): void {
		if (!attachment) {
			return;
		}
		if (attachment.kind === 'image') {
			this.checkImagesTaken();
		}
		this.post({ type: 'addAttachment', attachment, ...(mention ? { mention } : {}) });
	}

	/** Throws the reason when the session's model does not take images. */
	private checkImagesTaken(): void {
		const refused = imagesRefusedReason(this._deps.sessions.get(this._id));
		if (refused) {
			throw new Error(refused);
		}
	}

	/**
	 * Runs a request that generates a reply (streamed meanwhile) and puts the reply it answers, as stored, in
	 * place of the streamed one. A refused or failed request may have changed what the sidecar holds (an
	 * edit supersedes messages before it answers): then the transcript is read again.
	 */
	/** `added`: how many messages the request stores (a question and its answer; a summary alone). */
	private async reply(run: () => Promise<SessionMessage | undefined>, added = 2): Promise<void> {
		this._busy++;
		this.post({ type: 'busy', busy: true });
		this.post({ type: 'error', text: undefined });
		let failed = false;
		try {
			await this.attempt(async () => {
				try {
					const message = await run();
					if (message) {
						this.post({ type: 'message', message });
						this._pages.added(added);
					}
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
		const session = this._deps.sessions.get(this._id);
		if (session) {
			this.post({ type: 'session', session, instanceName: await this._deps.instances.nameOf(session.instanceId), looks: await headerLooks(this._deps.sidecar, chatTemplate), modeName: await this._deps.modes.nameOf(session), sandboxPolicy: await this._deps.modes.sandboxOf(session) });
		}
	}

	/** Another mode for this chat, from its next turn; new chats start in it. */
	private async pickMode(): Promise<void> {
		const session = this._deps.sessions.get(this._id) ?? await this._deps.sidecar.request('session/get', { id: this._id });
		const changed = await this._deps.modes.pick(session);
		if (changed) {
			this._deps.sessions.upsert(changed);
		}
	}

	/** The plan on that message as the goal of Run Task (the template asked for), with this chat's provider and model. */
	private async startPlanAsTask(messageId: string): Promise<void> {
		const stored = await this._deps.sidecar.request('session/message', { sessionId: this._id, messageId });
		const plan = stored.parts.find((p): p is PlanPart => p.kind === 'plan');
		if (!plan) {
			throw new Error('that message has no plan');
		}
		const session = this._deps.sessions.get(this._id);
		await vscode.commands.executeCommand('plue.runTask', {
			prompt: planGoal(plan), title: session ? `Plan: ${session.title}` : undefined, instanceId: session?.instanceId, modelId: session?.modelId,
		});
	}

	/** Another model for this chat: the picker marks the current one and shows each model's cost of the next turn. */
	private async pickModel(): Promise<void> {
		const picked = await this._deps.models.ask('Change Chat Model', this._deps.sessions.get(this._id));
		if (!picked) {
			return;
		}
		const session = await this._deps.sidecar.request('session/setModel', { id: this._id, instanceId: picked.instanceId, modelId: picked.modelId, allowUnlisted: picked.allowUnlisted });
		this._deps.sessions.upsert(session);
	}
}

/** A plan as a task's goal: its steps left, numbered. */
export function planGoal(plan: PlanPart): string {
	const steps = plan.items.filter(i => !i.done).map((item, i) => `${i + 1}. ${item.text}`);
	return `Carry out this plan, step by step, and report what was done:\n\n${steps.join('\n')}`;
}

/** The error of a `session/send` whose queued message the user removed before it was sent (-32800, cancelled). */
function isRemovedFromQueue(error: unknown): boolean {
	return typeof error === 'object' && error !== null && 'code' in error && error.code === -32800;
}
