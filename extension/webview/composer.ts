import type { Attachment } from '../src/protocol';
import { button, el, icon } from './dom';
import { post } from './vscodeApi';

/** The input: Enter sends, Shift+Enter adds a line; attachment chips; Send or Stop. */
export class Composer {
	readonly element = el('footer', 'composer');
	private readonly _chips = el('div', 'chips');
	private readonly _input = el('textarea', 'composer-input');
	private readonly _send = button('send', 'Send (Enter)', () => this.send(), { className: 'primary-button send-button' });
	private readonly _stop = button('debug-stop', 'Stop the reply', () => post({ type: 'cancel' }), { text: 'Stop', className: 'stop-button' });
	private _attachments: Attachment[] = [];
	private _busy = false;

	/** `onSend` shows the user's message at once. */
	constructor(private readonly _onSend: (text: string) => void) {
		this._chips.setAttribute('aria-label', 'Attachments');
		this._chips.setAttribute('role', 'list');
		this._input.rows = 3;
		this._input.placeholder = 'Ask anything (Enter to send, Shift+Enter for a new line)';
		this._input.setAttribute('aria-label', 'Message');
		this._input.addEventListener('keydown', e => {
			if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
				e.preventDefault();
				this.send();
			}
		});
		const attach = button('attach', 'Attach a file', () => post({ type: 'addFile' }));
		const row = el('div', 'composer-row');
		const actions = el('div', 'composer-actions');
		actions.append(attach, this._stop, this._send);
		row.append(this._input, actions);
		this.element.append(this._chips, row);
		this.busy = false;
	}

	set busy(busy: boolean) {
		this._busy = busy;
		this._stop.hidden = !busy;
		this._send.hidden = busy;
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
		if (!text || this._busy) {
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
