import type { QueuedMessage } from '../src/shared/protocol';
import { button, el, icon } from './dom';
import { post } from './vscodeApi';

/**
 * The messages sent while the chat answers (or the task runs), above the composer: each waits to be sent when the
 * answer (the task's model turn) ends, and has Send now in a chat (its answer stops where it is and the message is sent
 * at once) or Read next in a task (nothing is stopped: the task reads it before its next model call, so it is not
 * called Send now there), Edit (its text, in place: Enter saves, Escape leaves it as it was)
 * and Remove. The sidecar keeps the queue; this shows what `session/queueChanged` told last.
 */
export class QueuedList {
	readonly element = el('section', 'queued');
	private _editing: string | undefined;

	constructor(private readonly _task = false) {
		this.element.setAttribute('aria-label', 'Queued messages');
		this.element.hidden = true;
	}

	render(queued: QueuedMessage[]): void {
		// A row being edited keeps its box; the others follow the sidecar.
		const editing = this._editing !== undefined && queued.some(q => q.id === this._editing)
			? this.element.querySelector<HTMLElement>(`[data-id="${CSS.escape(this._editing)}"]`)
			: null;
		if (!editing) {
			this._editing = undefined;
		}
		const focused = editing?.contains(document.activeElement) ? document.activeElement : null;
		const selection = focused instanceof HTMLTextAreaElement ? [focused.selectionStart, focused.selectionEnd] as const : undefined;
		this.element.replaceChildren(...queued.map((q, index) => editing && q.id === this._editing ? editing : this.row(q, index, queued.length)));
		this.element.hidden = queued.length === 0;
		// Moved back into the list, the edit box keeps the keyboard and the caret.
		if (focused instanceof HTMLElement) {
			focused.focus();
			if (focused instanceof HTMLTextAreaElement && selection) {
				focused.setSelectionRange(selection[0], selection[1]);
			}
		}
	}

	private row(queued: QueuedMessage, index: number, count: number): HTMLElement {
		const row = el('div', 'queued-row');
		row.dataset.id = queued.id;
		row.setAttribute('role', 'group');
		row.setAttribute('aria-label', `Queued message ${index + 1} of ${count}`);
		const label = el('span', 'queued-label');
		label.append(icon('clock'), el('span', undefined, 'Queued'));
		label.title = this._task ? 'Sent when the task\'s current model turn ends' : 'Sent when the answer ends';
		const text = el('span', 'queued-text', queued.text);
		const attached = queued.attachments?.length ? el('span', 'queued-attached', `+${queued.attachments.length} attached`) : undefined;
		const actions = el('span', 'queued-actions');
		actions.append(
			this._task
				? button('arrow-up', 'Read next: the task reads this message before its next model call, ahead of the others (the call under way is not stopped)',
					() => post({ type: 'steer', id: queued.id }), { text: 'Read next', className: 'queued-steer' })
				: button('send', 'Send now: stop the answer where it is and send this message',
					() => post({ type: 'steer', id: queued.id }), { text: 'Send now', className: 'queued-steer' }),
			button('edit', 'Edit the queued message', () => this.edit(row, queued), { className: 'icon-button queued-edit' }),
			button('trash', 'Remove the queued message', () => post({ type: 'queueRemove', id: queued.id }), { className: 'icon-button queued-remove' }),
		);
		row.append(label, text, ...attached ? [attached] : [], actions);
		return row;
	}

	private edit(row: HTMLElement, queued: QueuedMessage): void {
		this._editing = queued.id;
		const box = el('textarea', 'queued-input');
		box.value = queued.text;
		box.rows = Math.min(6, Math.max(2, queued.text.split('\n').length));
		box.setAttribute('aria-label', 'Queued message');
		const done = (): void => {
			this._editing = undefined;
			row.replaceWith(this.row(queued, 0, 1));
		};
		const save = (): void => {
			const text = box.value.trim();
			if (!text) {
				return;
			}
			queued = { ...queued, text };
			post({ type: 'queueEdit', id: queued.id, text });
			done();
		};
		box.addEventListener('keydown', e => {
			if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
				e.preventDefault();
				save();
			} else if (e.key === 'Escape') {
				e.preventDefault();
				e.stopPropagation();
				done();
			}
		});
		const actions = el('span', 'queued-actions');
		actions.append(
			button('check', 'Save the queued message (Enter)', save, { text: 'Save', className: 'queued-save' }),
			button('close', 'Leave it as it was (Escape)', done, { className: 'icon-button queued-cancel' }),
		);
		row.replaceChildren(box, actions);
		box.focus();
		box.setSelectionRange(box.value.length, box.value.length);
	}
}
