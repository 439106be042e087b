import type { Attachment } from '../src/shared/protocol';
import { imageProblem } from '../src/shared/imageRules';
import type { MentionItem } from '../src/shared/panelMessages';
import { button, el, icon } from './dom';
import { MentionMenu, promptTrigger } from './mentionMenu';
import { post } from './vscodeApi';

/**
 * The input: Enter sends, Shift+Enter adds a line. A chat's has attachment
 * chips (an image's with its thumbnail) and Send or Stop; images come from the
 * Attach Image button (an open dialog in the host) or are pasted into the input.
 * Typing `@` offers the active file, the selection, the problems, the git
 * diff, the terminal's last command and the workspace's files and folders
 * (MentionMenu); a choice becomes a chip. `/` at the start offers the commands
 * and the MCP servers' prompts; a choice fills the input with its text (a task's
 * input has the same `/` menu, and no `@` one).
 * A chat's sends while it answers too: the message is queued (QueuedList).
 * A task's steers the running task (the header has Interrupt) and is off while
 * the task is not running.
 */
export class Composer {
	readonly element = el('footer', 'composer');
	private readonly _chips = el('div', 'chips');
	private readonly _input = el('textarea', 'composer-input');
	private readonly _image = button('file-media', 'Attach an image', () => this.attachImage());
	private readonly _send: HTMLButtonElement;
	/** The chat's model, as a dropdown: it opens the instance and model picker, and the next chats start on the choice. */
	private readonly _model = button('chevron-down', 'Change the model', () => post({ type: 'pickModel' }), { text: '…', className: 'composer-model' });
	/** The chat's mode, as a dropdown: it opens the mode picker (Ask, Agent, the user's own). */
	private readonly _mode = button('chevron-down', 'Change the mode', () => post({ type: 'pickMode' }), { text: '…', className: 'composer-mode' });
	private readonly _stop = button('debug-stop', 'Stop the reply (Escape)', () => post({ type: 'cancel' }), { text: 'Stop', className: 'stop-button' });
	/** A chat's `@` menu (a task's steering input has none). */
	private readonly _mentions: MentionMenu | undefined;
	/** The `/` menu of commands and MCP prompts, a chat's and a task's alike. */
	private readonly _prompts: MentionMenu;
	private _attachments: Attachment[] = [];
	/** Where the last chosen mention's `@text` was: its reference goes there when the host sends its attachment. */
	private _mentionAt: number | undefined;
	private _busy = false;
	private _enabled = true;
	private _imagesRefused: string | undefined;

	/** `onSend` shows the user's message at once; `onError` shows why something could not be attached. */
	constructor(private readonly _onSend: (text: string) => void, private readonly _onError: (text: string) => void, private readonly _steer = false) {
		this._send = button('send', _steer ? 'Queue for the task (Enter): sent when its model turn ends' : 'Send (Enter)', () => this.send(), { className: 'primary-button send-button' });
		this._chips.setAttribute('aria-label', 'Attachments');
		this._chips.setAttribute('role', 'list');
		this._input.rows = _steer ? 2 : 3;
		this._input.placeholder = _steer
			? 'Message the task: queued, and read when its model turn ends (Enter to queue, Shift+Enter for a new line)'
			: 'Ask anything (Enter to send, Shift+Enter for a new line)';
		this._input.setAttribute('aria-label', _steer ? 'Message to the task' : 'Message');
		this._mentions = _steer ? undefined : new MentionMenu(this._input, undefined, at => { this._mentionAt = at; });
		this._prompts = new MentionMenu(this._input, promptTrigger);
		this._input.addEventListener('keydown', e => {
			if (this._mentions?.handleKey(e) || this._prompts.handleKey(e)) {
				return;
			}
			if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
				e.preventDefault();
				this.send();
			}
		});
		const row = el('div', 'composer-row');
		const actions = el('div', 'composer-actions');
		if (_steer) {
			actions.append(this._send);
		} else {
			this._input.addEventListener('paste', e => this.paste(e));
			// An example prompt of the empty chat (messagesView.ts): into the input, caret at its end, and an @ there opens the menu.
			window.addEventListener('plue-example', e => {
				this._input.value = e instanceof CustomEvent ? String(e.detail) : '';
				this._input.focus();
				this._input.setSelectionRange(this._input.value.length, this._input.value.length);
				this._input.dispatchEvent(new Event('input'));
			});
			// Escape stops a streaming reply, wherever the focus is in the panel.
			window.addEventListener('keydown', e => {
				if (e.key === 'Escape' && this._busy && !e.isComposing) {
					e.preventDefault();
					post({ type: 'cancel' });
				}
			});
			actions.append(button('attach', 'Attach a file', () => post({ type: 'addFile' })), this._image, this._stop, this._send);
		}
		row.append(this._input, actions);
		this.element.append(this._chips, row);
		if (this._mentions) {
			this.element.append(this._mentions.element);
		}
		this.element.append(this._prompts.element);
		if (!_steer) {
			// The label after the codicon, so the chevron reads as a dropdown's.
			this._model.append(this._model.querySelector('.codicon') ?? '');
			this._model.hidden = true;
			this._mode.append(this._mode.querySelector('.codicon') ?? '');
			this._mode.hidden = true;
			const meta = el('div', 'composer-meta');
			meta.append(this._mode, this._model);
			this.element.append(meta);
		}
		this.busy = false;
		this.imagesRefused = undefined;
	}

	/** The chat's model ("instance · model"): shown on the composer's model dropdown. */
	set model(label: string) {
		const text = this._model.querySelector('.button-text');
		if (text) {
			text.textContent = label;
		}
		this._model.hidden = false;
		this._model.setAttribute('aria-label', `Model: ${label}. Change the model`);
		this._model.title = `${label}: change the model of this chat (new chats start on the one chosen)`;
	}

	/** The chat's mode ("Agent"): shown on the composer's mode dropdown. */
	set mode(name: string) {
		const text = this._mode.querySelector('.button-text');
		if (text) {
			text.textContent = name;
		}
		this._mode.hidden = false;
		this._mode.setAttribute('aria-label', `Mode: ${name}. Change the mode`);
		this._mode.title = `${name}: change what this chat may do in your workspace (new chats start in the mode chosen)`;
	}

	/** A task's input is off while the task is not running; `reason` says why in its place. */
	setEnabled(enabled: boolean, reason?: string): void {
		this._enabled = enabled;
		this._input.disabled = !enabled;
		this._send.disabled = !enabled;
		if (this._steer) {
			this._input.placeholder = enabled
				? 'Message the task: queued, and read when its model turn ends (Enter to queue, Shift+Enter for a new line)'
				: reason ?? 'The task is not running.';
		}
	}

	set busy(busy: boolean) {
		this._busy = busy;
		// A task keeps running while the user steers it: its input never turns into Stop. A chat's Send stays beside
		// Stop: what is sent while it answers is queued, and sent when the answer ends.
		this._stop.hidden = this._steer || !busy;
		if (!this._steer) {
			const label = busy ? 'Queue (Enter): sent when the answer ends' : 'Send (Enter)';
			this._send.title = label;
			this._send.setAttribute('aria-label', label);
		}
	}

	/**
	 * Why the model cannot take images, or undefined. The button stays focusable
	 * (aria-disabled, not disabled) so a keyboard user can reach it and hear why.
	 */
	set imagesRefused(reason: string | undefined) {
		this._imagesRefused = reason;
		this._image.setAttribute('aria-disabled', String(reason !== undefined));
		this._image.title = reason ?? 'Attach an image (PNG, JPEG, GIF or WebP), or paste one into the message';
	}

	/** The host's `@` menu entries for `query`. */
	mentionResults(query: string, items: MentionItem[]): void {
		this._mentions?.results(query, items);
	}

	/** The host's `/` menu entries (commands and MCP prompts) for `query`. */
	promptResults(query: string, items: MentionItem[]): void {
		this._prompts.results(query, items);
	}

	/** A chosen prompt's text in place of what was typed; the chips stay. */
	promptText(text: string): void {
		this.fill(text, this._attachments);
	}

	focus(): void {
		this._input.focus();
	}

	/** A new task's goal: what the input asks for, what Send does, and more lines to write in. */
	useForGoal(placeholder: string, sendLabel: string): void {
		this._input.placeholder = placeholder;
		this._input.setAttribute('aria-label', 'Goal of the task');
		this._input.rows = 8;
		this._send.title = sendLabel;
		this._send.setAttribute('aria-label', sendLabel);
		this._model.hidden = true;
		this._mode.hidden = true;
	}

	/** Puts a draft back (a goal the host could not start with, or the text typed before): nothing the user wrote is lost. */
	fill(text: string, attachments: Attachment[]): void {
		this._input.value = text;
		this._attachments = [...attachments];
		this.renderChips();
		this.focus();
		this._input.setSelectionRange(text.length, text.length);
	}

	/** A chip; a mention's (`reference`: the words that stand for it) also writes those words where its `@` was. */
	addAttachment(attachment: Attachment, reference?: string): void {
		this._attachments.push(attachment);
		this.renderChips();
		if (reference) {
			this.writeReference(reference);
		}
	}

	/** `reference` where the mention was (else at the caret), one space either side of it (after it even at the end, so
	 * the next word or `@` typed starts a word of its own), the caret after it. */
	private writeReference(reference: string): void {
		const value = this._input.value;
		const at = Math.min(this._mentionAt ?? this._input.selectionStart, value.length);
		this._mentionAt = undefined;
		const before = value.slice(0, at);
		const after = value.slice(at);
		const text = `${before && !/\s$/.test(before) ? ' ' : ''}${reference}${/^\s/.test(after) ? '' : ' '}`;
		this._input.value = before + text + after;
		const caret = before.length + text.length;
		this._input.setSelectionRange(caret, caret);
	}

	private attachImage(): void {
		if (this._imagesRefused) {
			this._onError(this._imagesRefused);
			return;
		}
		post({ type: 'addImage' });
	}

	/** An image on the clipboard becomes an attachment; text pastes as usual. */
	private paste(e: ClipboardEvent): void {
		const images = [...(e.clipboardData?.files ?? [])].filter(file => file.type.startsWith('image/'));
		if (images.length === 0) {
			return;
		}
		e.preventDefault();
		if (this._imagesRefused) {
			this._onError(this._imagesRefused);
			return;
		}
		for (const file of images) {
			void this.attachImageFile(file);
		}
	}

	private async attachImageFile(file: File): Promise<void> {
		const name = file.name || 'pasted image';
		const problem = imageProblem(name, file.type, file.size);
		if (problem) {
			this._onError(problem);
			return;
		}
		const dataUrl = await new Promise<string>((resolve, reject) => {
			const reader = new FileReader();
			reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
			reader.onerror = () => reject(reader.error ?? new Error(`${name} could not be read`));
			reader.readAsDataURL(file);
		});
		this.addAttachment({ kind: 'image', path: name, mimeType: file.type, data: dataUrl.slice(dataUrl.indexOf(',') + 1) });
	}

	private send(): void {
		const text = this._input.value.trim();
		if ((!text && (this._steer || this._attachments.length === 0)) || !this._enabled) {
			return;
		}
		// While a chat answers, a message is queued by the sidecar and shows in the queue, not yet in the transcript; a
		// task's always is (its input is on only while it runs), and is sent when its model turn ends.
		const queued = this._busy || this._steer;
		// `/compact [focus]` in a chat: summarise the conversation now; `/system <text>`: a system message, read by the
		// model from the next turn on. Neither is a message of the user's.
		const command = this._steer || this._attachments.length > 0 || queued ? null : text;
		const compact = command && /^\/compact(?:\s+([\s\S]*))?$/.exec(command);
		const system = command && /^\/system\s+(\S[\s\S]*)$/.exec(command);
		if (compact) {
			post({ type: 'compact', focus: compact[1]?.trim() || undefined });
		} else if (system) {
			post({ type: 'addSystem', text: system[1].trim() });
		} else {
			post({ type: 'send', text, attachments: this._attachments });
			if (!queued) {
				this._onSend(text);
			}
		}
		this._input.value = '';
		this._attachments = [];
		this.renderChips();
	}

	private renderChips(): void {
		this._chips.replaceChildren(...this._attachments.map((attachment, index) => {
			const label = chipLabel(attachment);
			const chip = el('span', 'chip');
			chip.setAttribute('role', 'listitem');
			chip.title = label;
			chip.append(chipIcon(attachment), el('span', 'chip-label', label), button('close', `Remove ${label}`, () => {
				this._attachments.splice(index, 1);
				this.renderChips();
				this._input.focus();
			}, { className: 'chip-remove' }));
			return chip;
		}));
	}
}

/** An image's thumbnail (a data: URL, the only kind of image the panel's CSP lets in), or the kind's codicon. */
function chipIcon(attachment: Attachment): HTMLElement {
	if (attachment.kind === 'url' || attachment.kind === 'codebase') {
		return icon(attachment.kind === 'url' ? 'globe' : 'search');
	}
	if (attachment.kind !== 'image' || !attachment.mimeType || !attachment.data) {
		const name = attachment.kind === 'selection' ? 'selection' : attachment.path === 'Problems' ? 'warning' : attachment.path.endsWith('/') ? 'folder' : 'file';
		return icon(name);
	}
	const thumbnail = el('img', 'chip-thumbnail');
	thumbnail.alt = '';
	thumbnail.src = `data:${attachment.mimeType};base64,${attachment.data}`;
	return thumbnail;
}

function chipLabel(attachment: Attachment): string {
	// @url and @codebase: the address and the words, fetched and searched when the message is sent.
	if (attachment.kind === 'url' || attachment.kind === 'codebase') {
		return `@${attachment.kind} ${attachment.path}`;
	}
	// A folder (an @-mention's) keeps its trailing slash.
	const folder = attachment.path.endsWith('/');
	const name = `${attachment.path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? attachment.path}${folder ? '/' : ''}`;
	return attachment.range ? `${name}:${attachment.range.startLine}-${attachment.range.endLine}` : name;
}
