/**
 * A record's form: a header with the template's icon, name and the record's title; one row per field (label,
 * required mark, description, default, the editor, the sidecar's error for it); Save and Cancel. Conditional
 * fields appear and disappear as the user edits. Keyboard: Tab order is the fields', Enter in a box saves (Ctrl+Enter
 * in a text area), Escape closes an open drop-down only, else asks before it drops unsaved input, or closes the form
 * when there is none.
 */
import type { FieldDto, JsonObject, JsonValue } from '../../src/shared/protocol';
import { conditionHolds, fieldLabel, FormChoice, FormModel, isInstanceField, isModelField } from '../../src/shared/settingsMessages';
import { button, el } from '../dom';
import { createEditor, Editor, EditorContext } from './editors';
import { fallbackIcon, templateIcon } from './looks';
import { post } from './settingsApi';

interface Row {
	field: FieldDto;
	editor: Editor;
	element: HTMLElement;
	error: HTMLElement;
}

export class FormView {
	readonly element = el('form', 'settings-form');
	private _rows: Row[] = [];
	private _baseline: Record<string, string> = {};
	private _baselineTitle = '';
	private _title: HTMLInputElement | undefined;
	private _titleError = el('div', 'field-error');
	private _submit: HTMLButtonElement | undefined;
	private _ids = 0;
	private readonly _fileSlots = new Map<string, (value: string) => void>();
	private _model: FormModel | undefined;
	/** The instance whose models the model boxes suggest (asked of the host when it changes). */
	private _modelsOf: string | undefined;
	/** Escape found unsaved input and the banner asks whether to drop it. */
	private _askingToDrop = false;

	constructor(private readonly _banner: (text: string | undefined, kind?: 'error' | 'info', actions?: HTMLElement[]) => void) {
		this.element.noValidate = true;
		this.element.addEventListener('submit', e => {
			e.preventDefault();
			this.save(false);
		});
		// Typing on after Escape asked answers it: the next Escape asks again.
		this.element.addEventListener('input', () => this._askingToDrop && this.keepEditing());
		this.element.addEventListener('keydown', e => {
			if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
				e.preventDefault();
				this.save(false);
			}
		});
	}

	render(model: FormModel, keepEdits = false): void {
		// Drawn again after a save or a reload: the focus stays on the same field (ids follow the fields' order).
		const focused = this.element.contains(document.activeElement) ? document.activeElement?.id : undefined;
		const edits = keepEdits ? this.edits() : undefined;
		this._model = model;
		this._askingToDrop = false;
		this._ids = 0;
		this._modelsOf = undefined;
		this._fileSlots.clear();
		this.element.replaceChildren(this.header(model));
		const ctx: EditorContext = {
			choices: model.choices,
			secrets: model.secrets,
			changed: () => this.changed(),
			chooseFile: chosen => {
				const slot = `slot-${this._fileSlots.size + 1}`;
				this._fileSlots.set(slot, chosen);
				post({ type: 'chooseFile', slot });
			},
			storeSecret: (field, value) => post({ type: 'setSecret', field, value }),
			nextId: () => `field-${++this._ids}`,
		};
		const fields = el('div', 'settings-fields');
		if (model.titleShown) {
			fields.append(this.titleRow(model));
		}
		this._rows = model.fields.filter(f => !model.hidden.includes(f.name)).map(field => this.row(field, model, ctx));
		fields.append(...this._rows.map(r => r.element));
		this.element.append(fields, this.actions(model));
		for (const row of this._rows) {
			row.editor.set(model.values[row.field.name] ?? (row.field.auto ? undefined : row.field.default));
		}
		this._baseline = this.snapshot();
		this._baselineTitle = this._title?.value ?? '';
		if (edits) {
			for (const row of this._rows) {
				if (row.field.name in edits.fields) {
					row.editor.set(edits.fields[row.field.name]);
				}
			}
			if (this._title && edits.title !== undefined) {
				this._title.value = edits.title;
			}
		}
		this.changed();
		if (focused) {
			document.getElementById(focused)?.focus();
		}
	}

	/** The sidecar's field errors beside their fields; the first one gets focus. */
	showErrors(fields: Record<string, string>, message: string | undefined): void {
		const others: string[] = [];
		for (const row of this._rows) {
			row.error.textContent = '';
			row.element.classList.remove('has-error');
			for (const part of row.element.querySelectorAll('.has-error')) {
				part.classList.remove('has-error');
			}
		}
		this._titleError.textContent = '';
		let first: HTMLElement | undefined;
		for (const [key, text] of Object.entries(fields)) {
			const name = /^[^.[]+/.exec(key)?.[0] ?? key;
			const row = this._rows.find(r => r.field.name === name && !r.element.hidden);
			if (row) {
				// An error inside the value ("[0].context_window must be …", or a key that goes on past the field's name)
				// points at that part: it alone is outlined and named by its labels ("Item 1, Context window must be …").
				const inside = /^((?:\[\d+\]|\.[A-Za-z_][\w-]*)+)\s*(.*)$/s.exec(key === name ? text : `${key.slice(name.length)} ${text}`);
				const part = inside ? row.editor.locate?.(inside[1]) : undefined;
				if (part && inside) {
					row.error.textContent = `${part.label} ${inside[2].replace(/^: /, '')}`;
					part.element.classList.add('has-error');
					first ??= part.control;
				} else {
					const where = key === name ? '' : `${key.slice(name.length).replace(/^\[(\d+)\]/, (_, i: string) => `item ${Number(i) + 1}`).replace(/^\./, '')}: `;
					row.error.textContent = `${where}${text.replace(/^\[(\d+)\]/, (_, i: string) => `item ${Number(i) + 1}`)}`;
					row.element.classList.add('has-error');
					first ??= row.editor.control;
				}
			} else if (name === 'title' && this._title) {
				this._titleError.textContent = text;
				first ??= this._title;
			} else {
				others.push(`${key} ${text}`);
			}
		}
		const summary = [message, ...others].filter(Boolean).join(' ');
		this._banner(summary || undefined, 'error');
		first?.focus();
	}

	secretStored(field: string, ref: string): void {
		this._rows.find(r => r.field.name === field)?.editor.stored?.(ref);
		this._banner('The secret is stored in the vault. Save to keep this record pointing at it.', 'info');
	}

	fileChosen(slot: string, value: string): void {
		this._fileSlots.get(slot)?.(value);
		this._fileSlots.delete(slot);
	}

	/** The host's answer to `models`: suggested in the model boxes, unless the instance changed meanwhile. */
	models(instance: string, models: FormChoice[]): void {
		if (instance !== this._modelsOf) {
			return;
		}
		for (const row of this._rows.filter(r => isModelField(r.field))) {
			row.editor.suggest?.(models);
		}
	}

	set busy(busy: boolean) {
		if (this._submit) {
			this._submit.disabled = busy;
		}
	}

	/** What to save: edit sends the fields that changed (null clears one); create and run send every value. */
	save(overwrite: boolean): void {
		const model = this._model;
		if (!model) {
			return;
		}
		const fields: JsonObject = {};
		const now = this.snapshot();
		for (const row of this._rows) {
			if (row.element.hidden || row.field.locked) {
				continue;
			}
			const name = row.field.name;
			const value = row.editor.get();
			if (model.mode !== 'edit' ? value !== undefined : now[name] !== this._baseline[name]) {
				fields[name] = value ?? null;
			}
		}
		post({ type: 'save', title: this._title?.value ?? '', fields, overwrite });
	}

	/**
	 * Escape (and a new record's Cancel): with unsaved input, asks whether to drop it (Escape again drops it too);
	 * with none, closes the form.
	 */
	cancel(): void {
		if (!this.dirty()) {
			post({ type: 'close' });
		} else if (this._askingToDrop) {
			this.drop();
		} else {
			this._askingToDrop = true;
			this._banner('Drop what you typed and have not saved?', 'info', [
				button('discard', 'Drop the unsaved changes', () => this.drop(), { text: 'Drop Changes', className: 'secondary-button' }),
				button('edit', 'Go on editing', () => this.keepEditing(), { text: 'Keep Editing', className: 'secondary-button' }),
			]);
		}
	}

	/** Drops unsaved input: a record's form shows it as saved again; a new record's form closes. */
	private drop(): void {
		this._askingToDrop = false;
		if (this._model?.mode !== 'edit') {
			post({ type: 'close' });
			return;
		}
		this.render(this._model);
		this._banner('Unsaved changes dropped.', 'info');
	}

	private keepEditing(): void {
		this._askingToDrop = false;
		this._banner(undefined);
	}

	/** The values the user changed and has not saved, and the title if changed. */
	private edits(): { fields: Record<string, JsonValue | undefined>; title?: string } {
		const now = this.snapshot();
		const fields = Object.fromEntries(this._rows.filter(r => now[r.field.name] !== this._baseline[r.field.name]).map(r => [r.field.name, r.editor.get()]));
		const title = this._title && this._title.value !== this._baselineTitle ? this._title.value : undefined;
		return { fields, title };
	}

	private dirty(): boolean {
		const now = this.snapshot();
		return (this._title?.value ?? '') !== this._baselineTitle || this._rows.some(r => now[r.field.name] !== this._baseline[r.field.name]);
	}

	private snapshot(): Record<string, string> {
		return Object.fromEntries(this._rows.map(r => [r.field.name, JSON.stringify(r.editor.get() ?? null)]));
	}

	/** Shows the fields whose condition holds now. */
	private changed(): void {
		const values: Record<string, JsonValue | undefined> = {};
		for (const row of this._rows) {
			values[row.field.name] = row.editor.get();
		}
		for (const row of this._rows) {
			row.element.hidden = !conditionHolds(row.field, values);
		}
		this.element.classList.toggle('dirty', this.dirty());
		this.askModels(values);
	}

	/**
	 * A model box suggests the models of the instance the form names (a chat's or task's provider field), or of the
	 * provider instance the form edits ('').
	 */
	private askModels(values: Record<string, JsonValue | undefined>): void {
		if (!this._rows.some(r => isModelField(r.field))) {
			return;
		}
		const named = this._rows.find(r => isInstanceField(r.field));
		const value = named ? values[named.field.name] : '';
		const instance = typeof value === 'string' && (value !== '' || this._model?.mode === 'edit') ? value : undefined;
		if (instance === this._modelsOf) {
			return;
		}
		this._modelsOf = instance;
		if (instance === undefined) {
			for (const row of this._rows.filter(r => isModelField(r.field))) {
				row.editor.suggest?.([]);
			}
			return;
		}
		post({ type: 'models', instance });
	}

	private header(model: FormModel): HTMLElement {
		const header = el('header', 'settings-header');
		const heading = el('h1', 'settings-heading');
		heading.append(templateIcon(model.looks, fallbackIcon(model.templateId)), document.createTextNode(` ${model.mode === 'edit' ? model.title || model.templateName : model.mode === 'create' ? `New ${model.templateName}` : `Run ${model.templateName}`}`));
		const meta = el('p', 'settings-meta', model.mode === 'edit' ? `${model.templateName} · version ${model.version ?? '?'}${model.updatedAt ? ` · changed ${new Date(model.updatedAt).toLocaleString()}` : ''}` : model.templateDescription);
		header.append(heading, meta);
		if (model.note) {
			header.append(el('p', 'settings-note', model.note));
		}
		if (model.mode === 'edit') {
			const tools = el('div', 'settings-header-actions');
			tools.append(
				button('history', 'Show the history of this record', () => post({ type: 'history' }), { text: 'History', className: 'secondary-button' }),
				button('discard', 'Undo the latest saved change', () => post({ type: 'undo' }), { text: 'Undo', className: 'secondary-button' }),
				...(model.actions ?? []).map(action => button(action.icon, action.title, () => post({ type: 'action', command: action.command }), { text: action.label, className: 'secondary-button' })),
			);
			header.append(tools);
		}
		return header;
	}

	private titleRow(model: FormModel): HTMLElement {
		const row = el('div', 'settings-field');
		const title = el('input', 'settings-input');
		title.type = 'text';
		title.id = 'record-title';
		title.value = model.title;
		title.placeholder = model.templateName;
		title.addEventListener('input', () => this.changed());
		const label = el('label', 'field-label', 'Name');
		label.htmlFor = title.id;
		const help = el('div', 'field-description', 'What this is called wherever it is listed.');
		help.id = 'record-title-help';
		title.setAttribute('aria-describedby', `${help.id} record-title-error`);
		this._titleError = el('div', 'field-error');
		this._titleError.id = 'record-title-error';
		this._titleError.setAttribute('aria-live', 'polite');
		row.append(label, help, title, this._titleError);
		this._title = title;
		return row;
	}

	private row(field: FieldDto, model: FormModel, ctx: EditorContext): Row {
		const element = el('div', 'settings-field');
		element.dataset.field = field.name;
		const editor = createEditor(field, field.name, ctx, field.locked);
		const control = editor.control;
		if (!control.id) {
			control.id = ctx.nextId();
		}
		// One control is labelled by its label element; a group (check boxes, items, members) by the label's id.
		const label = editor.group ? el('span', 'field-label', fieldLabel(field)) : el('label', 'field-label', fieldLabel(field));
		label.id = ctx.nextId();
		if (label instanceof HTMLLabelElement) {
			label.htmlFor = control.id;
		} else {
			editor.element.setAttribute('aria-labelledby', label.id);
		}
		if (field.required) {
			const mark = el('span', 'required-mark', ' *');
			mark.setAttribute('aria-hidden', 'true');
			label.append(mark);
			control.setAttribute('aria-required', 'true');
		}
		const notes: string[] = [];
		if (field.description) {notes.push(field.description);}
		if (field.default !== undefined && field.default !== null && !(Array.isArray(field.default) && field.default.length === 0)) {notes.push(`Default: ${describe(field.default)}.`);}
		if (field.type === 'datetime' && field.auto) {notes.push('Set to the time of saving when left empty.');}
		const description = el('div', 'field-description', notes.join(' '));
		description.id = ctx.nextId();
		const error = el('div', 'field-error');
		error.id = ctx.nextId();
		error.setAttribute('aria-live', 'polite');
		control.setAttribute('aria-describedby', `${description.id} ${error.id}`);
		element.append(label, description, editor.element);
		if (field.locked) {
			element.classList.add('locked');
			const reason = el('div', 'field-locked', `Locked by the template "${model.templateName}": records keep its default.`);
			element.append(reason);
		}
		element.append(error);
		return { field, editor, element, error };
	}

	private actions(model: FormModel): HTMLElement {
		const bar = el('div', 'settings-actions');
		const submit = el('button', 'primary-button', model.submitLabel);
		submit.type = 'submit';
		this._submit = submit;
		const cancel = el('button', 'secondary-button', model.mode === 'edit' ? 'Revert' : 'Cancel');
		cancel.type = 'button';
		cancel.title = 'Drop unsaved changes (Escape)';
		// Revert says what it does; a new record's Cancel loses what was typed, so it asks as Escape does.
		cancel.addEventListener('click', () => model.mode === 'edit' ? this.drop() : this.cancel());
		bar.append(submit, cancel, el('span', 'settings-hint', 'Enter saves · Escape cancels'));
		return bar;
	}
}

function describe(value: JsonValue): string {
	if (Array.isArray(value)) {return value.map(v => describe(v)).join(', ');}
	if (typeof value === 'boolean') {return value ? 'on' : 'off';}
	return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
