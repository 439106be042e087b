import type { MentionItem, WebviewMessage } from '../src/shared/panelMessages';
import { el, icon } from './dom';
import { post } from './vscodeApi';

const icons: Record<MentionItem['kind'], string> = {
	activeFile: 'file-code', selection: 'selection', problems: 'warning', gitDiff: 'git-compare', terminal: 'terminal', url: 'globe', codebase: 'search', file: 'file', folder: 'folder',
	mcpResource: 'plug', mcpPrompt: 'comment-discussion', command: 'zap',
};

/** What opens a menu, what it asks the host, and what a choice tells it. */
export interface MenuTrigger {
	/** Matches the text before the caret while the menu is open; group 1 is the query, after a one-character trigger. */
	pattern: RegExp;
	search(query: string): WebviewMessage;
	choose(item: MentionItem): WebviewMessage;
	/** The menu's element id; its options' ids are `${option}-N`. */
	id: string;
	option: string;
	label: string;
	/** Stays closed, rather than saying "Nothing matches", when the host offers nothing. */
	quietWhenEmpty?: boolean;
}

/** `@` at a word's start, then no space. */
export const mentionTrigger: MenuTrigger = {
	pattern: /(?:^|\s)@([^\s@]*)$/,
	search: query => ({ type: 'mentionSearch', query }),
	choose: item => ({ type: 'mention', item }),
	id: 'mention-menu',
	option: 'mention',
	label: 'Mention a file, a folder, the selection, the problems, the git diff, the terminal or an MCP resource',
};

/** `/` at the message's start: `/compact`, `/system`, the commands from files (docs/CUSTOMIZATIONS.md) and the MCP servers' prompts. */
export const promptTrigger: MenuTrigger = {
	pattern: /^\/([^\s/]*)$/,
	search: query => ({ type: 'promptSearch', query }),
	choose: item => ({ type: 'usePrompt', item }),
	id: 'prompt-menu',
	option: 'prompt',
	label: 'Use a command or a prompt of an MCP server',
	quietWhenEmpty: true,
};

/**
 * The composer's `@` menu (and, with promptTrigger, its `/` menu of prompts): typing `@` and a few letters lists the active file, the selection, the problems, the git
 * diff, the terminal's last command, the MCP servers' resources and the workspace's files and folders (fuzzy,
 * searched by the host); Up/Down
 * move, Enter or Tab choose, Escape closes.
 * The chosen entry's `@text` leaves the message and comes back as a chip, with words that stand for it written in its
 * place (Composer.addAttachment).
 */
export class MentionMenu {
	readonly element = el('div', 'mention-menu');
	private _items: MentionItem[] = [];
	private _active = 0;
	/** Where the `@` is in the input, and what follows it; undefined while closed. */
	private _at: { start: number; query: string } | undefined;

	/** `onChosen`: where the chosen entry's `@text` was taken out of the input (its reference is written there). */
	constructor(private readonly _input: HTMLTextAreaElement, private readonly _trigger: MenuTrigger = mentionTrigger, private readonly _onChosen?: (at: number) => void) {
		this.element.id = _trigger.id;
		this.element.setAttribute('role', 'listbox');
		this.element.setAttribute('aria-label', _trigger.label);
		this.element.hidden = true;
		_input.setAttribute('aria-autocomplete', 'list');
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

	/** Opens, follows or closes the menu from the text before the caret (the trigger's pattern). */
	private update(): void {
		const before = this._input.value.slice(0, this._input.selectionStart);
		const match = this._trigger.pattern.exec(before);
		if (!match) {
			this.close();
			return;
		}
		const query = match[1] ?? '';
		this._at = { start: before.length - query.length - 1, query };
		post(this._trigger.search(query));
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
		this._onChosen?.(at.start);
		post(this._trigger.choose(item));
	}

	private render(): void {
		const options = this._items.map((item, index) => {
			const option = el('div', 'mention-option');
			option.id = `${this._trigger.option}-${index}`;
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
		if (!options.length && this._trigger.quietWhenEmpty) {
			this.element.hidden = true;
			return;
		}
		this.element.replaceChildren(...(options.length ? options : [el('div', 'mention-empty', 'Nothing matches')]));
		this.element.hidden = false;
		this._input.setAttribute('aria-controls', this.element.id);
		this._input.setAttribute('aria-expanded', 'true');
		if (options.length) {
			this._input.setAttribute('aria-activedescendant', `${this._trigger.option}-${this._active}`);
			options[this._active]?.scrollIntoView({ block: 'nearest' });
		}
	}
}
