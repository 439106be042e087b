import type { Checkpoint, FallbackAttempt, PartKind, PlanPart, SessionMessage } from '../src/shared/protocol';
import { checkpointBar } from './checkpointBar';
import { button, el, icon } from './dom';
import { createPartView, isStreamed, isUnfinishedTool, PartView, StreamedPart } from './parts';
import { post } from './vscodeApi';

interface MessageView {
	message: SessionMessage;
	element: HTMLElement;
	partsElement: HTMLElement;
	parts: Map<string, PartView>;
}

const statusText: Partial<Record<SessionMessage['status'], string>> = {
	cancelled: 'Stopped.',
	interrupted: 'Interrupted: the reply did not finish.',
	error: 'The reply failed',
};

/**
 * The message list: the latest page of a chat, with a "Load earlier messages"
 * button above it while older ones exist. Deltas append to their part's text at
 * once but re-render its markdown at most once per animation frame.
 */
export class MessagesView {
	/** In display order, oldest first. */
	private _views = new Map<string, MessageView>();
	private readonly _dirty = new Set<PartView>();
	private readonly _loadEarlier = button('fold-up', 'Load earlier messages', () => this.requestEarlier(), { text: 'Load earlier messages', className: 'load-earlier' });
	private _loadingEarlier = false;
	private _frame = 0;
	private _busy = false;
	/** Between send and the first token: says the model was asked (a CLI can take seconds to start). */
	private readonly _waiting = el('div', 'waiting-reply');
	/** A chat with no messages yet: what to ask, what `@` does, and where to go instead (hidden by CSS once a message shows). */
	private readonly _empty = emptyState();
	/** Messages a regeneration or an edit supersedes: they go when the new turn's first message arrives. */
	private _superseded: string[] = [];
	/** Each user message's turn that changed files (its first), shown under it. */
	private _checkpoints = new Map<string, Checkpoint>();
	/** The session's model, named on a reply that is still streaming (its message has no modelId yet). */
	modelId: string | undefined;
	/**
	 * Whether the list follows what arrives: set by where the user scrolled (near the end or not), never measured
	 * after something was added, which would read a long new message as the user having scrolled up.
	 */
	private _follow = true;
	/** Shown while the user, scrolled up, has newer messages below; placed by the page right after the list. */
	readonly jumpButton = button('arrow-down', 'Jump to latest', () => this.scrollToEnd(true), { text: 'Jump to latest', className: 'jump-latest' });

	/** `actions`: Edit, Regenerate and Fork (a chat's; a task's transcript is the sidecar's to write). */
	constructor(private readonly _container: HTMLElement, private readonly _actions = true) {
		this._waiting.setAttribute('role', 'status');
		this._waiting.append(icon('loading', true), el('span', undefined, 'Waiting for the model…'));
		this.jumpButton.hidden = true;
		_container.addEventListener('scroll', () => {
			this._follow = this.nearEnd();
			if (this._follow) {
				this.jumpButton.hidden = true;
			}
		}, { passive: true });
	}

	set busy(busy: boolean) {
		this._busy = busy;
		this._container.setAttribute('aria-busy', String(busy));
		this.updateActions();
		this.updateWaiting();
	}

	/** Shown at the end while a chat's reply is asked for and nothing of it has arrived. */
	private updateWaiting(): void {
		const last = [...this._views.values()].at(-1)?.message;
		const waiting = this._actions && this._busy && (last?.role === 'user' || (last?.status === 'streaming' && last.parts.length === 0));
		if (waiting) {
			this._container.append(this._waiting);
		} else {
			this._waiting.remove();
		}
	}

	/** The latest messages; `hasMore`: older ones exist, fetched with the button above them. */
	/** The chat's latest plan (a Plan-mode answer's checklist), as shown. */
	latestPlan(): PlanPart | undefined {
		return [...this._views.values()].flatMap(v => v.message.parts.filter((p): p is PlanPart => p.kind === 'plan')).at(-1);
	}

	setAll(messages: SessionMessage[], hasMore: boolean): void {
		this._views.clear();
		this._superseded = [];
		this._dirty.clear();
		this._container.replaceChildren(this._loadEarlier, ...(this._actions ? [this._empty] : []));
		this.setHasMore(hasMore);
		for (const message of messages) {
			this.append(message);
		}
		this.updateActions();
		this.updateWaiting();
		this.scrollToEnd(true);
	}

	/** The transcript's checkpoints (`checkpoint/list`); restores' own are the host's to offer (Undo). */
	setCheckpoints(checkpoints: Checkpoint[]): void {
		this._checkpoints = new Map();
		for (const checkpoint of checkpoints) {
			if (checkpoint.kind === 'turn' && checkpoint.messageId && !this._checkpoints.has(checkpoint.messageId)) {
				this._checkpoints.set(checkpoint.messageId, checkpoint);
			}
		}
		this.updateActions();
	}

	/** Older messages (answering `loadEarlier`), put above the shown ones without moving what the user is looking at. */
	prepend(messages: SessionMessage[], hasMore: boolean): void {
		const c = this._container;
		const fromBottom = c.scrollHeight - c.scrollTop;
		const hadFocus = document.activeElement === this._loadEarlier;
		const views = messages.filter(m => !this._views.has(m.id)).map(m => this.build(m));
		this._loadEarlier.after(...views.map(v => v.element));
		this._views = new Map([...views.map((v): [string, MessageView] => [v.message.id, v]), ...this._views]);
		this.setHasMore(hasMore);
		this.updateActions();
		c.scrollTop = c.scrollHeight - fromBottom;
		if (hadFocus && !hasMore) {
			// The button is gone: keep the keyboard in the list rather than dropping it on the page.
			c.focus({ preventScroll: true });
		}
	}

	/**
	 * A full message from the host: replaces the one with its id in place, or is appended. Only that message
	 * changes; its parts that did not change keep their elements (a section the user opened stays open), and a
	 * copy it already shows (the turn's result after its `messageUpdated`) changes nothing.
	 */
	upsert(message: SessionMessage): void {
		if (message.role === 'user') {
			this.removeLocal();
		}
		const old = this._views.get(message.id);
		if (old && JSON.stringify(old.message) === JSON.stringify(message)) {
			return;
		}
		if (!old) {
			this.dropSuperseded();
		}
		const view = this.build(message, old);
		if (old) {
			for (const [id, part] of old.parts) {
				if (view.parts.get(id) !== part) {
					this._dirty.delete(part);
					keepOpen(part.element, view.parts.get(id)?.element);
				}
			}
			old.element.replaceWith(view.element);
			this._views.set(message.id, view);
		} else {
			this._views.set(message.id, view);
			this._container.append(view.element);
		}
		this.updateActions();
		this.updateWaiting();
		this.scrollToEnd(false);
	}

	/** Shows the user's message until the host sends the stored one. */
	appendLocal(text: string): void {
		const id = `local-${Date.now()}`;
		this.upsert({ id, sessionId: '', seq: -1, role: 'user', status: 'complete', parts: [{ id: `${id}-text`, kind: 'text', text }], costUsd: null, createdAt: new Date().toISOString() });
		this.scrollToEnd(true);
	}

	delta(messageId: string, partId: string, kind: PartKind, delta: string): void {
		let view = this._views.get(messageId);
		if (!view) {
			this.dropSuperseded();
			this.upsert({ id: messageId, sessionId: '', seq: -1, role: 'assistant', status: 'streaming', parts: [], costUsd: null, modelId: this.modelId, createdAt: new Date().toISOString() });
			view = this._views.get(messageId);
		}
		if (!view) {
			return;
		}
		let part = view.parts.get(partId);
		if (!part) {
			if (kind !== 'text' && kind !== 'reasoning') {
				return; // the sidecar streams only text and reasoning; other parts arrive whole
			}
			const created: StreamedPart = { id: partId, kind, text: '' };
			view.message.parts.push(created);
			part = createPartView(created, true);
			view.parts.set(partId, part);
			view.partsElement.append(part.element);
			this.updateWaiting();
		}
		if (!isStreamed(part.part)) {
			return;
		}
		part.part.text = (part.part.text ?? '') + delta;
		this._dirty.add(part);
		if (!this._frame) {
			this._frame = requestAnimationFrame(() => this.flush());
		}
	}

	private requestEarlier(): void {
		if (this._loadingEarlier) {
			return;
		}
		this._loadingEarlier = true;
		this._loadEarlier.setAttribute('aria-busy', 'true');
		this.setLoadEarlierText('Loading earlier messages…');
		post({ type: 'loadEarlier' });
	}

	private setHasMore(hasMore: boolean): void {
		this._loadingEarlier = false;
		this._loadEarlier.hidden = !hasMore;
		this._loadEarlier.removeAttribute('aria-busy');
		this.setLoadEarlierText('Load earlier messages');
	}

	private setLoadEarlierText(text: string): void {
		const label = this._loadEarlier.querySelector('.button-text');
		if (label) {
			label.textContent = text;
		}
	}

	private flush(): void {
		this._frame = 0;
		for (const part of this._dirty) {
			part.update();
		}
		this._dirty.clear();
		this.scrollToEnd(false);
	}

	private append(message: SessionMessage): void {
		const view = this.build(message);
		this._views.set(message.id, view);
		this._container.append(view.element);
	}

	/**
	 * Marks the messages from `messageId` on (an edit supersedes them), or those after the user's last one (a
	 * regeneration), as the sidecar does: they stay until the new turn's first message arrives.
	 */
	private supersede(messageId?: string): void {
		const views = [...this._views.values()];
		const lastAsked = views.map(v => v.message.role === 'user').lastIndexOf(true);
		const from = messageId === undefined ? lastAsked + 1 : views.findIndex(v => v.message.id === messageId);
		this._superseded = from < 0 ? [] : views.slice(from).map(v => v.message.id);
	}

	private dropSuperseded(): void {
		for (const id of this._superseded) {
			this._views.get(id)?.element.remove();
			this._views.delete(id);
		}
		this._superseded = [];
	}

	/** A message's element; `old`'s part views are kept for the parts that did not change. */
	private build(stored: SessionMessage, old?: MessageView): MessageView {
		const { message, settings } = splitSettings(stored);
		const system = isSystemMade(message);
		const element = el('article', `message message-${system ? 'system' : message.role === 'system' ? 'system-role' : message.role} status-${message.status}`);
		element.dataset.messageId = message.id;
		element.setAttribute('aria-label', system ? 'Note from Plue' : ariaLabels[message.role]);
		const head = el('div', 'message-head');
		head.append(el('span', 'message-role', roleLabel(message)));
		if (message.fallbackFrom?.length) {
			head.append(fallbackNote(message.fallbackFrom));
		}
		const partsElement = el('div', 'message-parts');
		const parts = new Map<string, PartView>();
		const streaming = message.status === 'streaming';
		const cutShort = message.status === 'interrupted' || message.status === 'cancelled' || message.status === 'error';
		for (const part of message.parts) {
			const kept = old?.parts.get(part.id);
			const same = kept && JSON.stringify(kept.part) === JSON.stringify(part) && !(cutShort && isUnfinishedTool(part));
			const view = same ? kept : createPartView(part, streaming, cutShort);
			view.part = part;
			view.setStreaming?.(streaming);
			parts.set(part.id, view);
			partsElement.append(view.element);
		}
		element.append(head, partsElement);
		if (settings) {
			const details = el('details', 'part part-settings');
			const summary = el('summary', undefined, 'Task settings Plue added for the model');
			const body = el('pre');
			body.append(el('code', undefined, settings));
			details.append(summary, body);
			element.append(details);
		}
		const status = statusText[message.status];
		if (status) {
			element.append(el('div', 'message-status', message.error ? `${status.replace(/\.$/, "")}: ${message.error}` : status));
		}
		element.append(el('div', 'message-actions'));
		return { message: stored, element, partsElement, parts };
	}

	/** Actions depend on the message's place (Regenerate on the last reply) and on whether a reply is running. */
	private updateActions(): void {
		const views = [...this._views.values()];
		const lastAssistant = views.filter(v => v.message.role === 'assistant').at(-1);
		for (const view of views) {
			const actions = view.element.querySelector('.message-actions');
			if (!actions) {
				continue;
			}
			const { message } = view;
			const buttons: HTMLButtonElement[] = [];
			if (this._actions && !this._busy && !message.id.startsWith('local-')) {
				if (message.role === 'user') {
					buttons.push(button('edit', 'Edit and resend', () => this.edit(view), { text: 'Edit' }));
				}
				if (view === lastAssistant) {
					buttons.push(button('refresh', 'Regenerate the reply', () => {
						this.supersede();
						post({ type: 'regenerate' });
					}, { text: 'Regenerate' }));
				}
				buttons.push(button('repo-forked', 'Fork the chat from this message', () => post({ type: 'fork', messageId: message.id }), { text: 'Fork' }));
			}
			actions.replaceChildren(...buttons);
			view.element.querySelector('.message-checkpoint')?.remove();
			const checkpoint = message.role === 'user' ? this._checkpoints.get(message.id) : undefined;
			if (checkpoint) {
				view.element.append(checkpointBar(message.id, checkpoint, this._busy));
			}
		}
	}

	/** Inline editor for a user message: Enter resends, Shift+Enter adds a line, Escape cancels. */
	private edit(view: MessageView): void {
		const original = view.message.parts.filter(p => p.kind === 'text').map(p => p.text ?? '').join('\n');
		const editor = el('div', 'message-editor');
		const input = el('textarea', 'message-edit-input');
		input.value = original;
		input.rows = Math.min(10, original.split('\n').length + 1);
		input.setAttribute('aria-label', 'Edit your message');
		const restore = (): void => {
			editor.replaceWith(view.partsElement);
			this.updateActions();
		};
		const resend = (): void => {
			const text = input.value.trim();
			if (text) {
				this.supersede(view.message.id);
				post({ type: 'editAndResend', messageId: view.message.id, text });
			}
			restore();
		};
		input.addEventListener('keydown', e => {
			if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
				e.preventDefault();
				resend();
			} else if (e.key === 'Escape') {
				e.preventDefault();
				restore();
			}
		});
		const bar = el('div', 'message-editor-actions');
		bar.append(button('send', 'Save and resend', resend, { text: 'Resend', className: 'primary-button' }), button('close', 'Cancel editing', restore, { text: 'Cancel' }));
		editor.append(input, bar);
		view.partsElement.replaceWith(editor);
		view.element.querySelector('.message-actions')?.replaceChildren();
		input.focus();
	}

	private removeLocal(): void {
		for (const [id, view] of this._views) {
			if (id.startsWith('local-')) {
				view.element.remove();
				this._views.delete(id);
			}
		}
	}

	private nearEnd(): boolean {
		const c = this._container;
		return c.scrollHeight - c.scrollTop - c.clientHeight < 80;
	}

	/** To the end when `force`d (the user's own message, a new page) or following; else newer messages wait below the Jump button. */
	private scrollToEnd(force: boolean): void {
		if (force || this._follow) {
			this._container.scrollTop = this._container.scrollHeight;
			this._follow = true;
			this.jumpButton.hidden = true;
		} else if (!this.nearEnd()) {
			this.jumpButton.hidden = false;
		}
	}
}

// What the sidecar writes into a task's transcript as user messages (server/Agents/TaskBrief.cs): shown as Plue's.
const resumeNote = 'The user resumed this task.';
const settingsMarker = '\n\n---\nTask settings (the sidecar enforces them):';

/** Whether Plue, not the user, wrote this user message (a task's resume note). */
function isSystemMade(message: SessionMessage): boolean {
	const first = message.parts[0];
	return message.role === 'user' && first?.kind === 'text' && (first.text ?? '').startsWith(resumeNote);
}

/** A task's first message is the user's goal and the settings Plue added: the goal is shown, the settings folded apart. */
function splitSettings(message: SessionMessage): { message: SessionMessage; settings?: string } {
	const first = message.parts[0];
	const at = message.role === 'user' && first?.kind === 'text' ? (first.text ?? '').indexOf(settingsMarker) : -1;
	if (at < 0 || first?.kind !== 'text') {
		return { message };
	}
	const text = first.text ?? '';
	return { message: { ...message, parts: [{ ...first, text: text.slice(0, at) }, ...message.parts.slice(1)] }, settings: text.slice(at + 6).trim() };
}

const ariaLabels: Record<SessionMessage['role'], string> = { user: 'Your message', assistant: 'Assistant message', system: 'System message' };

/** Who a message is from; a user message that only carries tool results is the tools' (an agent's transcript). */
function roleLabel(message: SessionMessage): string {
	if (message.role === 'assistant') {
		return message.modelId ?? 'Assistant';
	}
	if (message.role === 'system') {
		return 'System · the model reads this from the next turn on';
	}
	if (isSystemMade(message)) {
		return 'Plue';
	}
	return isToolResults(message) ? 'Tool results' : 'You';
}

/** A reply a fallback gave: which model it stood in for, and (on hover) why each one before it failed. */
function fallbackNote(failed: FallbackAttempt[]): HTMLElement {
	const first = failed[0];
	const note = el('span', 'message-fallback', `instead of ${first.instanceName} · ${first.modelId}`);
	note.title = failed.map(f => `${f.instanceName} · ${f.modelId} failed: ${f.error}`).join('\n');
	return note;
}

function isToolResults(message: SessionMessage): boolean {
	return message.parts.length > 0 && message.parts.every(part => part.kind === 'tool_result');
}

/** Keeps a <details> the user opened open across a re-render. */
function keepOpen(from: HTMLElement, to: HTMLElement | undefined): void {
	if (from instanceof HTMLDetailsElement && to instanceof HTMLDetailsElement) {
		to.open = from.open;
	}
}

/** Example prompts (a click puts one in the composer, see Composer), the `@` hint, and links to the other starts. */
function emptyState(): HTMLElement {
	const empty = el('section', 'empty-state');
	empty.setAttribute('aria-label', 'Getting started');
	const examples = el('div', 'empty-examples');
	// One that ends in @ opens the @ menu, to pick what it is about.
	for (const prompt of ['Explain what this project does and how it is laid out', 'Find bugs in @', 'Write unit tests for @']) {
		examples.append(button('sparkle', `Use the example: ${prompt}`, () => window.dispatchEvent(new CustomEvent('plue-example', { detail: prompt })), { text: prompt, className: 'empty-example' }));
	}
	// No Add Provider here: a chat is on a provider already (the Channels view offers another).
	const links = el('p', 'empty-links');
	links.append(
		button('rocket', 'Run an agent task on the workspace', () => post({ type: 'runCommand', command: 'plue.runTask' }), { text: 'Run an agent task', className: 'link-button' }),
	);
	empty.append(
		el('h2', 'empty-title', 'Ask anything about your code'),
		examples,
		el('p', 'empty-hint', 'Type @ to add a file, a folder, the selection, the problems, the git diff, the terminal\'s output or an MCP server\'s resource, / for an MCP server\'s prompts; Shift+Enter starts a new line.'),
		links,
	);
	return empty;
}
