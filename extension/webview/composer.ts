import type { Attachment } from '../src/protocol';
import { button, el, icon } from './dom';
import { post } from './vscodeApi';

/**
 * The input: Enter sends, Shift+Enter adds a line. A chat's has attachment
 * chips and Send or Stop; a task's steers the running task (the header has
 * Interrupt) and is off while the task is not running.
 */
export class Composer {
	readonly element = el('footer', 'composer');
	private readonly _chips = el('div', 'chips');
	private readonly _input = el('textarea', 'composer-input');
	private readonly _send: HTMLButtonElement;
	private readonly _stop = button('debug-stop', 'Stop the reply', () => post({ type: 'cancel' }), { text: 'Stop', className: 'stop-button' });
	private _attachments: Attachment[] = [];
	private _busy = false;
	private _enabled = true;

	/** `onSend` shows the user's message at once. */
	constructor(private readonly _onSend: (text: string) => void, private readonly _steer = false) {
		this._send = button('send', _steer ? 'Send to the task (Enter)' : 'Send (Enter)', () => this.send(), { className: 'primary-button send-button' });
		this._chips.setAttribute('aria-label', 'Attachments');
		this._chips.setAttribute('role', 'list');
		this._input.rows = _steer ? 2 : 3;
		this._input.placeholder = _steer
			? 'Steer the task: it reads this on its next turn (Enter to send, Shift+Enter for a new line)'
			: 'Ask anything (Enter to send, Shift+Enter for a new line)';
		this._input.setAttribute('aria-label', _steer ? 'Message to the task' : 'Message');
		this._input.addEventListener('keydown', e => {
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
			actions.append(button('attach', 'Attach a file', () => post({ type: 'addFile' })), this._stop, this._send);
		}
		row.append(this._input, actions);
		this.element.append(this._chips, row);
		this.busy = false;
	}

	/** A task's input is off while the task is not running; `reason` says why in its place. */
	setEnabled(enabled: boolean, reason?: string): void {
		this._enabled = enabled;
		this._input.disabled = !enabled;
		this._send.disabled = !enabled;
		if (this._steer) {
			this._input.placeholder = enabled
				? 'Steer the task: it reads this on its next turn (Enter to send, Shift+Enter for a new line)'
				: reason ?? 'The task is not running.';
		}
	}

	set busy(busy: boolean) {
		this._busy = busy;
		// A task keeps running while the user steers it: its input never turns into Stop.
		this._stop.hidden = this._steer || !busy;
		this._send.hidden = !this._steer && busy;
	}

	focus(): void {
		this._input.focus();
	}

	addAttachment(attachment: Attachment): void {
		this._attachments.push(attachment);
		this.renderChips();
	}

	private send(): void {
		const text = this._input.value.trim();
		if (!text || !this._enabled || (this._busy && !this._steer)) {
			return;
		}
		post({ type: 'send', text, attachments: this._attachments });
		this._onSend(text);
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
			chip.append(icon(attachment.kind === 'selection' ? 'selection' : 'file'), el('span', 'chip-label', label), button('close', `Remove ${label}`, () => {
				this._attachments.splice(index, 1);
				this.renderChips();
				this._input.focus();
			}, { className: 'chip-remove' }));
			return chip;
		}));
	}
}

function chipLabel(attachment: Attachment): string {
	const name = attachment.path.split(/[\\/]/).pop() ?? attachment.path;
	return attachment.range ? `${name}:${attachment.range.startLine}-${attachment.range.endLine}` : name;
}
