import type { MentionItem } from '../src/shared/panelMessages';
import { el, icon } from './dom';
import { post } from './vscodeApi';

const icons: Record<MentionItem['kind'], string> = { activeFile: 'file-code', selection: 'selection', problems: 'warning', gitDiff: 'git-compare', terminal: 'terminal', file: 'file', folder: 'folder' };

/**
 * The composer's `@` menu: typing `@` and a few letters lists the active file, the selection, the problems, the git
 * diff, the terminal's last command and the workspace's files and folders (fuzzy, searched by the host); Up/Down
 * move, Enter or Tab choose, Escape closes.
 * The chosen entry's `@text` leaves the message and comes back as a chip.
 */
export class MentionMenu {
	readonly element = el('div', 'mention-menu');
	private _items: MentionItem[] = [];
	private _active = 0;
	/** Where the `@` is in the input, and what follows it; undefined while closed. */
	private _at: { start: number; query: string } | undefined;

	constructor(private readonly _input: HTMLTextAreaElement) {
		this.element.id = 'mention-menu';
		this.element.setAttribute('role', 'listbox');
		this.element.setAttribute('aria-label', 'Mention a file, a folder, the selection, the problems, the git diff or the terminal');
		this.element.hidden = true;
		_input.setAttribute('aria-autocomplete', 'list');
		_input.setAttribute('aria-controls', this.element.id);
		_input.addEventListener('input', () => this.update());
		_input.addEventListener('blur', () => this.close());
	}

	/** Whether the menu took the key (the composer then does nothing with it). */
	handleKey(e: KeyboardEvent): boolean {
		if (!this._at || this.element.hidden || e.isComposing) {
			return false;
		}
		switch (e.key) {
			case 'ArrowDown':
			case 'ArrowUp':
				this._active = (this._active + (e.key === 'ArrowDown' ? 1 : -1) + this._items.length) % this._items.length;
				this.render();
				break;
			case 'Enter':
			case 'Tab':
				this.choose(this._items[this._active]);
				break;
			case 'Escape':
				this.close();
				break;
			default:
				return false;
		}
		e.preventDefault();
		e.stopPropagation();
		return true;
	}

	/** The host's entries for `query`; ignored when the user has typed on since. */
	results(query: string, items: MentionItem[]): void {
		if (this._at?.query !== query) {
			return;
		}
		this._items = items;
		this._active = 0;
		this.render();
	}

	close(): void {
		this._at = undefined;
		this.element.hidden = true;
		this._input.setAttribute('aria-expanded', 'false');
		this._input.removeAttribute('aria-activedescendant');
	}

	/** Opens, follows or closes the menu from the text before the caret: an `@` at a word's start, then no space. */
	private update(): void {
		const before = this._input.value.slice(0, this._input.selectionStart);
		const match = /(?:^|\s)@([^\s@]*)$/.exec(before);
		if (!match) {
			this.close();
			return;
		}
		const query = match[1] ?? '';
		this._at = { start: before.length - query.length - 1, query };
		post({ type: 'mentionSearch', query });
	}

	private choose(item: MentionItem | undefined): void {
		const at = this._at;
		if (!item || !at) {
			return;
		}
		const value = this._input.value;
		// The mention becomes a chip: its text goes, and so does the space it would leave doubled ("Review  please").
		const spaced = /\s$/.test(value.slice(0, at.start)) && /^\s/.test(value.slice(at.start + 1 + at.query.length));
		const end = at.start + 1 + at.query.length + (spaced ? 1 : 0);
		this._input.value = value.slice(0, at.start) + value.slice(end);
		this._input.setSelectionRange(at.start, at.start);
		this.close();
		post({ type: 'mention', item });
	}

	private render(): void {
		const options = this._items.map((item, index) => {
			const option = el('div', 'mention-option');
			option.id = `mention-${index}`;
			option.setAttribute('role', 'option');
			option.setAttribute('aria-selected', String(index === this._active));
			option.append(icon(icons[item.kind]), el('span', 'mention-label', item.label));
			if (item.description) {
				option.append(el('span', 'mention-description', item.description));
			}
			// mousedown, not click: the input keeps its focus (a blur would close the menu first).
			option.addEventListener('mousedown', e => {
				e.preventDefault();
				this.choose(item);
			});
			return option;
		});
		this.element.replaceChildren(...(options.length ? options : [el('div', 'mention-empty', 'Nothing matches')]));
		this.element.hidden = false;
		this._input.setAttribute('aria-expanded', 'true');
		if (options.length) {
			this._input.setAttribute('aria-activedescendant', `mention-${this._active}`);
			options[this._active]?.scrollIntoView({ block: 'nearest' });
		}
	}
}
