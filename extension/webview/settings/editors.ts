/**
 * One editor per field type, built from the field's spec alone. Each gives its value as JSON (undefined when empty),
 * takes one, and calls `ctx.changed()` on every edit so the form can show or hide conditional fields at once.
 */
import type { FieldDto, JsonObject, JsonValue } from '../../src/shared/protocol';
import { fieldLabel, FormChoice, isInstanceField, isModelField, isSecretField } from '../../src/shared/settingsMessages';
import { button, el, icon } from '../dom';

export interface Editor {
	element: HTMLElement;
	get(): JsonValue | undefined;
	set(value: JsonValue | undefined): void;
	/** The element that takes focus and the field's label. */
	control: HTMLElement;
	/** A secret's editor: the host stored the secret at `ref`. */
	stored?(ref: string): void;
	/** Several controls (check boxes, array items, an object's members): labelled as a group, not through one control. */
	group?: boolean;
	/** A box with suggestions: replaces them (a model box, as the instance changes). */
	suggest?(choices: FormChoice[]): void;
	/** A part inside the value (an array's item `[0]`, an object's member `.name`, or deeper), for an error to point at. */
	locate?(path: string): EditorPart | undefined;
}

/** A part of a field's editor an error names: what to outline, what takes focus, and how people call it. */
export interface EditorPart {
	element: HTMLElement;
	control: HTMLElement;
	/** "Item 1, Context window". */
	label: string;
}

export interface EditorContext {
	/** Choices and suggestions by field key (see settings/formModel.walkFields). */
	choices: Record<string, FormChoice[]>;
	secrets: Record<string, boolean>;
	changed(): void;
	/** Asks the host for a workspace file; `chosen` gets its relative path. */
	chooseFile(chosen: (value: string) => void): void;
	storeSecret(field: string, value: string): void;
	/** A fresh element id. */
	nextId(): string;
}

export function createEditor(field: FieldDto, key: string, ctx: EditorContext, readOnly: boolean): Editor {
	const editor = build(field, key, ctx);
	if (readOnly) {
		for (const control of editor.element.querySelectorAll('input, select, textarea, button')) {
			(control as HTMLInputElement).disabled = true;
		}
		if (editor.element instanceof HTMLInputElement || editor.element instanceof HTMLSelectElement || editor.element instanceof HTMLTextAreaElement) {
			editor.element.disabled = true;
		}
	}
	return editor;
}

function build(field: FieldDto, key: string, ctx: EditorContext): Editor {
	if (isSecretField(field)) {
		return secretEditor(field, ctx);
	}
	// A provider instance is picked by its name from the instances there are (its reference is no one's to type).
	if (isInstanceField(field)) {
		return selectEditor(field, ctx.choices[key] ?? [], ctx);
	}
	switch (field.type) {
		case 'textarea': return textareaEditor(field, ctx);
		case 'number': return numberEditor(field, ctx);
		case 'boolean': return booleanEditor(ctx);
		case 'select': return selectEditor(field, (field.options ?? []).map(o => ({ value: o.value, label: o.label })), ctx);
		case 'codex_reference': return selectEditor(field, ctx.choices[key] ?? [], ctx);
		case 'file_reference': return fileEditor(field, key, ctx);
		case 'array': return field.items?.type === 'select' && (field.items.options?.length ?? 0) > 0 ? checkboxesEditor(field.items, ctx) : arrayEditor(field, key, ctx);
		case 'object': return objectEditor(field, key, ctx);
		default: return textEditor(field, key, ctx);
	}
}

function input(ctx: EditorContext, type = 'text'): HTMLInputElement {
	const box = el('input', 'settings-input');
	box.type = type;
	box.id = ctx.nextId();
	box.addEventListener('input', () => ctx.changed());
	return box;
}

/** A text box; a field that names records or prompts suggests them (a datalist: any other value may still be typed). */
function textEditor(field: FieldDto, key: string, ctx: EditorContext): Editor {
	const box = input(ctx);
	box.placeholder = field.placeholder ?? (field.type === 'datetime' ? '2025-01-31T09:30:00Z' : field.type === 'url' ? 'https://' : '');
	if (field.type === 'url') {
		box.inputMode = 'url';
	}
	if (field.maxLength) {
		box.maxLength = field.maxLength;
	}
	const get = (): JsonValue | undefined => box.value === '' ? undefined : box.value;
	const set = (v: JsonValue | undefined): void => { box.value = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v); };
	// A model box always has its list: the instance's models arrive later, and change with the instance.
	if (!isModelField(field) && !ctx.choices[key]?.length) {
		return { element: box, control: box, get, set };
	}
	const list = el('datalist');
	list.id = ctx.nextId();
	box.setAttribute('list', list.id);
	const suggest = (choices: FormChoice[]): void => list.replaceChildren(...choices.map(choice => {
		const option = el('option');
		option.value = choice.value;
		option.label = choice.label;
		return option;
	}));
	suggest(ctx.choices[key] ?? []);
	const wrapper = el('span', 'settings-suggesting');
	wrapper.append(box, list);
	return { element: wrapper, control: box, get, set, suggest };
}

function textareaEditor(field: FieldDto, ctx: EditorContext): Editor {
	const box = el('textarea', 'settings-input');
	box.id = ctx.nextId();
	box.rows = field.maxLength && field.maxLength <= 500 ? 3 : 6;
	box.placeholder = field.placeholder ?? '';
	box.addEventListener('input', () => ctx.changed());
	return { element: box, control: box, get: () => box.value === '' ? undefined : box.value, set: v => { box.value = typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v); } };
}

/** A number box with the field's limits; what is not a number is sent as typed, so the sidecar can say what is wrong. */
function numberEditor(field: FieldDto, ctx: EditorContext): Editor {
	const box = input(ctx, 'number');
	box.placeholder = field.placeholder ?? '';
	if (field.min !== undefined && field.min !== null) {box.min = String(field.min);}
	if (field.max !== undefined && field.max !== null) {box.max = String(field.max);}
	box.step = field.step ? String(field.step) : 'any';
	return {
		element: box, control: box,
		get: () => {
			const text = box.value.trim();
			if (text === '') {
				// A number input reads "" for text it cannot parse: that is not "empty".
				return box.validity.badInput ? 'not a number' : undefined;
			}
			return Number(text);
		},
		set: v => { box.value = typeof v === 'number' ? String(v) : ''; },
	};
}

function booleanEditor(ctx: EditorContext): Editor {
	const box = input(ctx, 'checkbox');
	box.className = 'settings-checkbox';
	box.addEventListener('change', () => ctx.changed());
	return { element: box, control: box, get: () => box.checked, set: v => { box.checked = v === true; } };
}

function selectEditor(field: FieldDto, choices: FormChoice[], ctx: EditorContext): Editor {
	const select = el('select', 'settings-input');
	select.id = ctx.nextId();
	const fill = (current: string | undefined): void => {
		select.replaceChildren();
		const none = el('option', undefined, field.placeholder ?? (field.required ? 'Choose…' : '(none)'));
		none.value = '';
		select.append(none);
		for (const choice of choices) {
			const option = el('option', undefined, choice.icon && !/^[a-z][a-z0-9-]*$/.test(choice.icon) ? `${choice.icon} ${choice.label}` : choice.label);
			option.value = choice.value;
			select.append(option);
		}
		// A stored value the choices no longer offer is kept, and said to be missing.
		if (current && !choices.some(c => c.value === current)) {
			const missing = el('option', undefined, `${current} (not found)`);
			missing.value = current;
			select.append(missing);
		}
		select.value = current ?? '';
	};
	fill(undefined);
	select.addEventListener('change', () => ctx.changed());
	return { element: select, control: select, get: () => select.value === '' ? undefined : select.value, set: v => fill(typeof v === 'string' ? v : undefined) };
}

/** A prompt (suggested) or a workspace path, typed or chosen with the file dialog. */
function fileEditor(field: FieldDto, key: string, ctx: EditorContext): Editor {
	const text = textEditor(field, key, ctx);
	const box = text.control as HTMLInputElement;
	if (!field.placeholder) {
		box.placeholder = 'codex://prompts/<name>.md or a workspace path';
	}
	const choose = button('folder-opened', 'Choose a workspace file', () => ctx.chooseFile(value => {
		box.value = value;
		ctx.changed();
	}), { text: 'Choose File…', className: 'secondary-button' });
	const row = el('span', 'settings-inline');
	row.append(text.element, choose);
	return { ...text, element: row };
}

/**
 * A masked box for a `vault://` field: what is typed goes straight to the vault (Store, or Enter in the box) and is
 * never shown again; the form keeps only the reference and says whether a secret is set.
 */
function secretEditor(field: FieldDto, ctx: EditorContext): Editor {
	let ref: string | undefined;
	const box = input(ctx, 'password');
	box.autocomplete = 'off';
	box.placeholder = 'Type a new secret to replace it';
	const state = el('span', 'secret-state');
	state.setAttribute('role', 'status');
	const showState = (set: boolean): void => {
		state.replaceChildren(icon(set ? 'pass' : 'circle-slash'), document.createTextNode(set ? ' Set' : ' Not set'));
		state.classList.toggle('secret-set', set);
	};
	showState(ctx.secrets[field.name] === true);
	const store = (): void => {
		if (box.value) {
			ctx.storeSecret(field.name, box.value);
			box.value = '';
		}
	};
	box.addEventListener('keydown', e => {
		if (e.key === 'Enter') {
			e.preventDefault();
			e.stopPropagation();
			store();
		}
	});
	const storeButton = button('lock', 'Store the secret in the vault', store, { text: 'Store', className: 'secondary-button' });
	const row = el('span', 'settings-inline');
	row.append(box, storeButton, state);
	return {
		element: row, control: box,
		get: () => ref,
		set: v => { ref = typeof v === 'string' ? v : undefined; },
		stored: value => {
			ref = value;
			showState(true);
			ctx.changed();
		},
	};
}

/** An array of a select's options: one checkbox each, in the options' order. */
function checkboxesEditor(items: FieldDto, ctx: EditorContext): Editor {
	const group = el('div', 'settings-checkboxes');
	group.setAttribute('role', 'group');
	const boxes = (items.options ?? []).map(option => {
		const label = el('label', 'settings-check');
		const box = input(ctx, 'checkbox');
		box.className = 'settings-checkbox';
		box.value = option.value;
		box.addEventListener('change', () => ctx.changed());
		label.append(box, document.createTextNode(option.label === option.value ? option.value : `${option.label}`));
		group.append(label);
		return box;
	});
	return {
		element: group, control: boxes[0] ?? group, group: true,
		get: () => boxes.filter(b => b.checked).map(b => b.value),
		set: v => {
			const values = Array.isArray(v) ? v : [];
			for (const b of boxes) {
				b.checked = values.includes(b.value);
			}
		},
	};
}

/** Any other array: one editor per item, with Move up, Move down and Remove, and Add at the end. */
function arrayEditor(field: FieldDto, key: string, ctx: EditorContext): Editor {
	const itemSpec: FieldDto = field.items ?? { name: 'item', type: 'text', required: false, locked: false, auto: false };
	const list = el('ol', 'settings-array');
	const wrapper = el('div', 'settings-array-wrapper');
	let rows: { editor: Editor; row: HTMLLIElement }[] = [];
	const redraw = (): void => {
		list.replaceChildren(...rows.map(r => r.row));
		rows.forEach((r, i) => {
			const label = `${fieldLabel(field)} item ${i + 1}`;
			// An object item names its group: its first member keeps its own label ("Model id", not "Models item 1").
			(r.editor.group ? r.editor.element : r.editor.control).setAttribute('aria-label', label);
			for (const b of r.row.querySelectorAll<HTMLButtonElement>('.item-actions button')) {
				const action = b.dataset.action;
				b.disabled = (action === 'up' && i === 0) || (action === 'down' && i === rows.length - 1);
				b.setAttribute('aria-label', `${b.title} (${label})`);
			}
		});
	};
	const add = (value: JsonValue | undefined, focus: boolean): void => {
		const editor = createEditor({ ...itemSpec, name: field.name, label: undefined }, key, ctx, false);
		const row = el('li', 'settings-array-item');
		const actions = el('span', 'item-actions');
		const move = (by: number): void => {
			const at = rows.findIndex(r => r.row === row);
			const to = at + by;
			if (to < 0 || to >= rows.length) {return;}
			[rows[at], rows[to]] = [rows[to], rows[at]];
			redraw();
			ctx.changed();
			actions.querySelector<HTMLButtonElement>(`[data-action="${by < 0 ? 'up' : 'down'}"]`)?.focus();
		};
		const up = button('arrow-up', 'Move up', () => move(-1));
		up.dataset.action = 'up';
		const down = button('arrow-down', 'Move down', () => move(1));
		down.dataset.action = 'down';
		const remove = button('trash', 'Remove', () => {
			rows = rows.filter(r => r.row !== row);
			redraw();
			ctx.changed();
			addButton.focus();
		});
		actions.append(up, down, remove);
		row.append(editor.element, actions);
		editor.set(value);
		rows.push({ editor, row });
		redraw();
		if (focus) {editor.control.focus();}
	};
	const addButton = button('add', `Add to ${fieldLabel(field)}`, () => { add(undefined, true); ctx.changed(); }, { text: 'Add', className: 'secondary-button' });
	wrapper.append(list, addButton);
	wrapper.setAttribute('role', 'group');
	return {
		element: wrapper, control: addButton, group: true,
		locate: path => {
			const at = /^\[(\d+)\](.*)$/.exec(path);
			const item = at ? rows[Number(at[1])] : undefined;
			if (!at || !item) {
				return undefined;
			}
			const label = `Item ${Number(at[1]) + 1}`;
			const inner = at[2] ? item.editor.locate?.(at[2]) : undefined;
			return inner ? { ...inner, label: `${label}, ${inner.label}` } : { element: item.row, control: item.editor.control, label };
		},
		get: () => {
			const values = rows.map(r => r.editor.get()).filter((v): v is JsonValue => v !== undefined);
			return values;
		},
		set: v => {
			rows = [];
			for (const item of Array.isArray(v) ? v : []) {add(item, false);}
			redraw();
		},
	};
}

/** An object: its properties, each with its label. */
function objectEditor(field: FieldDto, key: string, ctx: EditorContext): Editor {
	const group = el('fieldset', 'settings-object');
	const legend = el('legend', 'settings-visually-hidden', fieldLabel(field));
	group.append(legend);
	const members = (field.properties ?? []).map(property => {
		const editor = createEditor(property, `${key}.${property.name}`, ctx, property.locked);
		const label = el('label', 'settings-member-label', fieldLabel(property));
		label.htmlFor = editor.control.id || (editor.control.id = ctx.nextId());
		const line = el('div', 'settings-member');
		line.append(label, editor.element);
		if (property.auto) {line.append(el('span', 'settings-hint', 'Set when saved, if empty'));}
		group.append(line);
		return { property, editor, line };
	});
	return {
		element: group, control: members[0]?.editor.control ?? group, group: true,
		locate: path => {
			const at = /^\.([^.[]+)(.*)$/.exec(path);
			const member = at ? members.find(m => m.property.name === at[1]) : undefined;
			if (!at || !member) {
				return undefined;
			}
			const label = fieldLabel(member.property);
			const inner = at[2] ? member.editor.locate?.(at[2]) : undefined;
			return inner ? { ...inner, label: `${label}, ${inner.label}` } : { element: member.line, control: member.editor.control, label };
		},
		get: () => {
			const value: JsonObject = {};
			for (const { property, editor } of members) {
				const v = editor.get();
				if (v !== undefined) {value[property.name] = v;}
			}
			return Object.keys(value).length > 0 ? value : undefined;
		},
		set: v => {
			const object = v && typeof v === 'object' && !Array.isArray(v) ? v : {};
			for (const { property, editor } of members) {editor.set(object[property.name]);}
		},
	};
}
