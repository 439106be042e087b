/**
 * The messages a settings panel's webview (extension/webview/settings) and its host
 * (settings/SettingsController) exchange. A form is drawn from the template alone, so
 * any template, a user's own included, gets one. Secrets never cross: the webview sends
 * one to the host once (to the vault) and is told only whether one is set.
 */
import type { FieldDto, JsonObject, JsonValue } from './protocol';

/** A choice for a reference or a suggestion list: the stored value, what people read, and an icon. */
export interface FormChoice {
	value: string;
	label: string;
	/** An emoji or a codicon name (the record's template's `metadata.icon`). */
	icon?: string;
}

/** How a template's looks are shown: `metadata.icon` and `metadata.color`, if it has them. */
export interface TemplateLooks {
	icon?: string;
	color?: string;
}

/** `metadata.icon` and `metadata.color` when they are strings. */
export function looksOf(metadata: JsonObject | undefined): TemplateLooks {
	const text = (value: JsonValue | undefined): string | undefined => typeof value === 'string' && value.trim() ? value.trim() : undefined;
	return { icon: text(metadata?.icon), color: text(metadata?.color) };
}

/** What one form shows: the template's fields and the record's values. */
export interface FormModel {
	/** edit: a stored record; create: a new record; run: a task to start (nothing is stored until it starts). */
	mode: 'edit' | 'create' | 'run';
	templateId: string;
	templateName: string;
	templateDescription: string;
	looks: TemplateLooks;
	title: string;
	/** Whether the title is asked (a task's title is made from its goal). */
	titleShown: boolean;
	fields: FieldDto[];
	/** Field names the form leaves out: written by the feature itself (a task's result, a chat's next message). */
	hidden: string[];
	values: JsonObject;
	/** The record's version and when it changed (edit only). */
	version?: number;
	updatedAt?: string;
	/** The choices of each `codex_reference` field, and suggestions for text fields that name records or prompts. */
	choices: Record<string, FormChoice[]>;
	/** Fields that hold a `vault://` reference: whether a secret is stored there now. */
	secrets: Record<string, boolean>;
	/** What the save button says: Save, Create, Start Task. */
	submitLabel: string;
	/** A short line under the header: what this record is for, or where it takes effect. */
	note?: string;
	/** An edit form's own commands beside History and Undo, from the record's feature (Delete Catalog…): each runs on the record. */
	actions?: FormAction[];
}

/** A feature's command on the record a form shows: a button in its header. */
export interface FormAction {
	command: string;
	label: string;
	icon: string;
	/** The button's tooltip. */
	title: string;
}

/** One group of the settings home: a template and its records. */
export interface HomeGroup {
	templateId: string;
	name: string;
	description: string;
	looks: TemplateLooks;
	/** What New does for this template: a form, or the feature's own command (New Chat, Add Provider Instance). */
	newLabel: string;
	records: { id: string; title: string; detail: string; tags: string[] }[];
	/** More records exist than are listed. */
	more: boolean;
}

/** Host → settings webview. */
export type SettingsHostMessage =
	/** The form to draw. `keepEdits`: drawn again because its template changed, so the user's unsaved values stay. */
	| { type: 'form'; form: FormModel; keepEdits?: boolean }
	/** `tags`: every tag the listed records carry; `tag`: the one the home is filtered by. */
	| { type: 'home'; groups: HomeGroup[]; tags: string[]; tag?: string }
	/** The sidecar refused the save: messages by field name (`title` included), and a line for the rest. */
	| { type: 'errors'; fields: Record<string, string>; message?: string }
	/** The record changed elsewhere since it was read: the user picks Reload or Overwrite. */
	| { type: 'conflict'; message: string }
	/** Whether a request is in flight (the buttons wait). */
	| { type: 'busy'; busy: boolean }
	/** A secret was stored: the field now holds `ref`. */
	| { type: 'secretSet'; field: string; ref: string }
	/** The answer to `chooseFile`: the picked path for that slot. */
	| { type: 'fileChosen'; slot: string; value: string }
	/** A line to show at the top: done, or an error; undefined clears it. */
	| { type: 'notice'; text: string | undefined; error?: boolean }
	/** The answer to `models`: the models `instance` offers, suggested in the form's model boxes. */
	| { type: 'models'; instance: string; models: FormChoice[] };

/** Settings webview → host. */
export type SettingsWebviewMessage =
	| { type: 'ready' }
	| { type: 'assetsFailed' }
	/** Save (edit: only what changed, null clears; create and run: every value). `overwrite`: at the record's current version. */
	| { type: 'save'; title: string; fields: JsonObject; overwrite?: boolean }
	/** Read the record again, dropping unsaved changes. */
	| { type: 'reload' }
	/** Close the panel (Escape with nothing unsaved). */
	| { type: 'close' }
	| { type: 'history' }
	/** `confirmed` (scripts and the tests, which cannot answer a modal) skips the question an undo of the record's creation asks. */
	| { type: 'undo'; confirmed?: boolean }
	/** One of the form's `actions`, by its command. */
	| { type: 'action'; command: string }
	/** Store a secret for a `vault://` field straight in the vault. */
	| { type: 'setSecret'; field: string; value: string }
	/** Pick a workspace file for a `file_reference` box; the answer comes as `fileChosen` with the same slot. */
	| { type: 'chooseFile'; slot: string }
	/** The models an instance offers (its ref; empty: the provider instance this form edits); the answer comes as `models`. */
	| { type: 'models'; instance: string }
	/** The home's actions. */
	| { type: 'open'; id: string }
	| { type: 'new'; templateId: string }
	| { type: 'refresh' }
	/** Show only the records with this tag; none: all of them. */
	| { type: 'filterTag'; tag?: string };

/** What the settings webview keeps with `setState`: which form or the home, so a reload restores it. */
export interface SettingsWebviewState {
	target: string;
}

const settingsMessageTypes: ReadonlySet<string> = new Set<SettingsWebviewMessage['type']>([
	'ready', 'assetsFailed', 'save', 'reload', 'close', 'history', 'undo', 'setSecret', 'chooseFile', 'models', 'open', 'new', 'refresh', 'filterTag',
]);

/** The host's check of what the webview posts (it arrives as `any`): a known `type`. */
export function isSettingsWebviewMessage(value: unknown): value is SettingsWebviewMessage {
	return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string' && settingsMessageTypes.has(value.type);
}

/** Whether a field applies given the other values: its `conditional` holds (a value, or any of a list). */
export function conditionHolds(field: FieldDto, values: Readonly<Record<string, JsonValue | undefined>>): boolean {
	const condition = field.conditional;
	if (!condition || typeof condition.field !== 'string') {
		return true;
	}
	const actual = values[condition.field];
	const expected = condition.value;
	const wanted = Array.isArray(expected) ? expected : [expected];
	return wanted.some(value => JSON.stringify(value) === JSON.stringify(actual));
}

/** A field the template marks `role: "secret"` (the sidecar gives that role to a text field whose pattern names `vault://`): a masked box, never with its secret. */
export function isSecretField(field: FieldDto): boolean {
	return field.role === 'secret';
}

/** A field the template marks `role: "model"` (a chat's or task's model, a provider's default): it suggests the instance's models. */
export function isModelField(field: FieldDto): boolean {
	return field.role === 'model';
}

/**
 * A field the template marks `role: "instance"`, naming a provider instance (`codex://providers/<slug>` or
 * `env:<provider>`); the sidecar gives that role to a text field whose pattern names `codex://providers/`.
 */
export function isInstanceField(field: FieldDto): boolean {
	return field.role === 'instance';
}

/**
 * What a field is called in the window: its template's label, else its name in words ("provider_type" → "Provider
 * type", "maxTokens" → "Max tokens"), since templates written as the design notes write them give no labels.
 */
export function fieldLabel(field: { name: string; label?: string | null }): string {
	if (field.label) {
		return field.label;
	}
	const words = field.name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
	return words ? words[0].toUpperCase() + words.slice(1) : field.name;
}
