import * as vscode from 'vscode';
import { ErrorCodes, JsonObject, JsonValue, TemplateDetail } from '../shared/protocol';
import type { CatalogModel, CodexChangedParams, CodexRecord, HistoryEntry, ProviderInstance } from '../shared/protocol';
import type { FormChoice, FormModel, SettingsWebviewMessage } from '../shared/settingsMessages';
import { fieldLabel } from '../shared/settingsMessages';
import { listedModelsKey } from '../shared/modelsKey';
import { invalidFields } from '../sidecar/requestErrors';
import type { Redactor } from '../sidecar/redactor';
import type { Sidecar } from '../sidecar/sidecar';
import type { SettingsKinds } from './kindSettings';
import { buildForm, FormSeed, formOfRecord, SettingsTarget } from './formModel';
import type { SettingsController, SettingsPanel } from './settingsPanel';
import { errorText } from '../shared/errorText';
import { showError } from '../sidecar/commandErrors';

/** What the settings panels need from the extension. */
export interface SettingsDeps {
	extensionUri: vscode.Uri;
	sidecar: Sidecar;
	/** The provider instances' store, kept by the feed: read without a request. */
	providers: ProviderInstances;
	redactor: Redactor;
	log: vscode.LogOutputChannel;
	/** What each feature adds to the forms and the home of its kind's records. */
	kinds: SettingsKinds;
}

/** What the forms' model boxes read of the provider instances (the providers' room keeps them). */
export interface ProviderInstances {
	instances(): Promise<ProviderInstance[]>;
	/** The models an instance offers (`instances/models`). */
	instanceModels(id: string): Promise<CatalogModel[]>;
	readonly onDidChangeInstance: vscode.Event<ProviderInstance>;
}

/**
 * One form: a stored record (codex/get, codex/update), a new one (codex/create) or a task to start (task/start).
 * A save is one request, and the form applies the record it returns; the views that list records learn of it by
 * `codex/changed`. The sidecar validates; its field errors go back to the form beside their fields, and nothing is
 * stored until all are right. A stale version is told as a conflict the user settles (Reload or Overwrite).
 */
export class FormController implements SettingsController {
	private _template: TemplateDetail | undefined;
	private _record: CodexRecord | undefined;
	private _form: FormModel | undefined;
	/** The vault references a secret was stored at from this form. */
	private readonly _storedSecrets = new Set<string>();
	/** A save or an undo is under way: the record it returns is the one the form shows, not the change it causes. */
	private _busy = false;
	private readonly _subscriptions: vscode.Disposable[];
	/** The first draw, asked for as the panel opens: the tab names the record while the webview is still loading. */
	private _first: Promise<FormSeed> | undefined;
	/** Closed, or another target shown in the panel: a late answer names nothing. */
	private _disposed = false;
	/** The last load failed (shown in the panel): opening the panel again tries again. */
	private _loadFailed = false;
	/**
	 * The model suggestions asked, by instance id, with the instance's `listedModelsKey` then: a redraw (after a save, an
	 * undo, a change elsewhere) asks the sidecar again only when that key changed.
	 */
	private readonly _models = new Map<string, { key: string; models: Promise<FormChoice[]> }>();
	/** The instance the model boxes last asked for ('' is the instance this form edits). */
	private _modelsAsked: string | undefined;

	/** `_seed`: what a form that created the record already shows, so its first draw asks nothing. */
	constructor(private readonly _target: Exclude<SettingsTarget, { kind: 'home' }>, private readonly _panel: SettingsPanel, private readonly _deps: SettingsDeps, private _seed?: FormSeed) {
		// A template saved meanwhile, or a restarted sidecar, redraws the form; so does its record changed elsewhere.
		this._subscriptions = [
			_deps.sidecar.onNotification('templates/changed', () => void this.load(true)),
			_deps.sidecar.onNotification('codex/changed', change => this.changedElsewhere(change)),
			_deps.sidecar.onDidStart(() => {
				this._models.clear();
				void this.load();
			}),
			// An instance whose models may have changed (its endpoint, key, filter…): the boxes showing them are told again.
			_deps.providers.onDidChangeInstance(instance => this.instanceChanged(instance)),
		];
		if (!_seed && _deps.sidecar.state.kind === 'running') {
			this._first = buildForm(_deps, _target);
			this._first.then(seed => this.name(seed), () => undefined);
		}
	}

	async handle(message: SettingsWebviewMessage): Promise<void> {
		switch (message.type) {
			case 'ready':
				return this._seed ? this.show(this._seed) : this.load(false, this.takeFirst());
			case 'reload':
				return this.load();
			case 'save':
				return this.busy(() => this.save(message.title, message.fields, message.overwrite === true));
			case 'close':
				this._panel.dispose();
				return;
			case 'history':
				return this.attempt('show the history', () => this.showHistory());
			case 'undo':
				return this.busy(() => this.attempt('undo the last change', () => this.undo(message.confirmed)));
			case 'action':
				// Only a command the kind offers on this form, on this record.
				if (this._target.kind === 'record' && this._deps.kinds.of(this._template).actions?.some(a => a.command === message.command)) {
					void vscode.commands.executeCommand(message.command, this._target.id);
				}
				return;
			case 'setSecret':
				return this.attempt('store the secret', () => this.storeSecret(message.field, message.value));
			case 'chooseFile':
				return this.attempt('choose a file', () => this.chooseFile(message.slot));
			case 'models':
				return this.suggestModels(message.instance);
			default:
				return;
		}
	}

	/**
	 * Opened again (Edit chosen once more): a form whose load failed is asked again, so a second click is never only a
	 * reveal of a panel that shows an error.
	 */
	reopened(): void {
		if (this._loadFailed) {
			void this.load();
		}
	}

	/** `keepEdits`: the template changed under an open form; what the user typed and has not saved stays. */
	private async load(keepEdits = false, first?: Promise<FormSeed>): Promise<void> {
		this._loadFailed = false;
		await this.attempt('open the settings', async () => {
			try {
				this.show(await (first ?? buildForm(this._deps, this._target)), keepEdits);
			} catch (error) {
				this._loadFailed = true;
				throw error;
			}
		});
	}

	/** The first draw's form, once: a later `ready` (the webview reloaded) asks again. */
	private takeFirst(): Promise<FormSeed> | undefined {
		const first = this._first;
		this._first = undefined;
		return first;
	}

	private name({ form, template }: FormSeed): void {
		if (this._disposed) {
			return;
		}
		this._panel.panel.title = form.mode === 'edit' ? `${form.title || template.name} Settings` : form.mode === 'create' ? `New ${template.name}` : `Run ${template.name}`;
	}

	private show(seed: FormSeed, keepEdits = false): void {
		const { form, template, record } = seed;
		this._seed = undefined;
		this._template = template;
		this._record = record;
		this._form = form;
		this.name(seed);
		this._panel.post({ type: 'form', form, keepEdits });
	}

	/** The record a save or an undo returned, in the form already shown. */
	private seedOf(record: CodexRecord): FormSeed | undefined {
		return this._form && this._template ? { form: formOfRecord(this._form, record, this._storedSecrets), template: this._template, record } : undefined;
	}

	private async save(title: string, fields: JsonObject, overwrite: boolean): Promise<void> {
		const sidecar = this._deps.sidecar;
		const template = this._template;
		if (!template) {
			return;
		}
		try {
			if (this._target.kind === 'record') {
				const version = overwrite ? (await sidecar.request('codex/get', { id: this._target.id })).version : this._record?.version ?? 0;
				const kind = this._deps.kinds.of(template);
				const before = kind.beforeSave?.(this._target.id);
				const record = await sidecar.request('codex/update', { id: this._target.id, version, fields, title: title.trim() || undefined });
				await this.apply(record);
				this._panel.post({ type: 'notice', text: 'Saved.' });
				kind.saved?.(record, before);
			} else if (this._target.kind === 'new') {
				const record = await sidecar.request('codex/create', { templateId: template.id, title: title.trim() || template.name, fields: withoutNulls(fields) });
				this._panel.retarget({ kind: 'record', id: record.id }, this.seedOf(record));
				// The kind's feature takes it from there (a new provider instance is tested at once, as its quick steps do).
				this._deps.kinds.of(template).created?.(record.id);
			} else {
				await this.startTask(template, title, withoutNulls(fields));
			}
		} catch (error) {
			this.refused(error);
		}
	}

	/** task/start: the goal is its prompt, the provider and model its own params, the rest the record's fields. */
	private async startTask(template: TemplateDetail, title: string, fields: JsonObject): Promise<void> {
		const { goal, provider_ref: providerRef, model_id: modelId, ...rest } = fields;
		if (typeof goal !== 'string' || !goal.trim()) {
			this._panel.post({ type: 'errors', fields: { goal: 'is required: say what the task must achieve' } });
			return;
		}
		const task = await this._deps.sidecar.request('task/start', {
			templateId: template.id,
			prompt: goal.trim(),
			title: title.trim() || undefined,
			providerRef: typeof providerRef === 'string' ? providerRef : undefined,
			modelId: typeof modelId === 'string' ? modelId : undefined,
			fields: rest,
		});
		await vscode.commands.executeCommand('plue.openTask', task.id);
		this._panel.dispose();
	}

	/** Field errors beside their fields, a stale version as a conflict, anything else at the top. */
	private refused(error: unknown): void {
		const fields = invalidFields(error);
		const code = (error as { code?: unknown }).code;
		const nothing = this._target.kind === 'run' ? 'The task was not started' : 'Nothing was saved';
		if (fields) {
			this._panel.post({ type: 'errors', fields, message: `${nothing}: correct the fields marked below.` });
		} else if (code === ErrorCodes.conflict && this._target.kind === 'record') {
			this._panel.post({ type: 'conflict', message: 'This record was changed elsewhere since you opened it. Reload to see that change (yours are dropped), or overwrite it with yours.' });
		} else {
			this._panel.post({ type: 'errors', fields: {}, message: `${nothing}: ${errorText(error)}` });
		}
	}

	private async apply(record: CodexRecord): Promise<void> {
		const seed = this.seedOf(record);
		return seed ? this.show(seed) : this.load();
	}

	/**
	 * The record this form edits, changed by another window, the command line or a feature: the form shows the new
	 * version and keeps what the user typed and has not saved. A change this form's own save or undo made (busy, or
	 * a version already shown) asks nothing.
	 */
	private changedElsewhere(change: CodexChangedParams): void {
		if (this._target.kind !== 'record' || change.id !== this._target.id || this._busy) {
			return;
		}
		// Changed before the first draw: that draw asks for the record again.
		this._first = undefined;
		if (change.deleted) {
			this._panel.post({ type: 'notice', text: 'This record was deleted elsewhere: saving it is no longer possible. Close this form.', error: true });
			return;
		}
		const seed = change.record && change.record.version > (this._record?.version ?? 0) ? this.seedOf(change.record) : undefined;
		if (seed) {
			this.show(seed, true);
			this._panel.post({ type: 'notice', text: `Changed elsewhere: the form shows version ${seed.form.version}. Anything you typed and have not saved is kept.` });
		}
	}

	private async showHistory(): Promise<void> {
		if (this._target.kind !== 'record') {
			return;
		}
		const entries = await this._deps.sidecar.request('codex/history', { id: this._target.id });
		const labels = Object.fromEntries((this._template?.fields ?? []).map(f => [f.name, fieldLabel(f)]));
		const items = entries.map(entry => ({ label: `${capitalize(entry.action)} · version ${entry.version}${entry.undone ? ' (undone)' : ''}`, description: new Date(entry.at).toLocaleString(), detail: changedFields(entry, labels) }));
		const undoItem = { label: '$(discard) Undo the latest change', description: '', detail: undefined };
		const picked = await vscode.window.showQuickPick(entries.some(e => !e.undone) ? [undoItem, ...items] : items, { title: `History of ${this._record?.title ?? 'this record'}`, placeHolder: 'Newest first' });
		if (picked === undoItem) {
			await this.busy(() => this.attempt('undo the last change', () => this.undo()));
		}
	}

	private async undo(confirmed = false): Promise<void> {
		if (this._target.kind !== 'record') {
			return;
		}
		const { id } = this._target;
		const sidecar = this._deps.sidecar;
		const title = this._record?.title || 'the record';
		// Undoing the creation removes the record: asked first, and undone in turn by Bring Back (its key comes back too).
		const latest = confirmed ? undefined : (await sidecar.request('codex/history', { id })).find(e => !e.undone && e.action !== 'undo');
		if (latest?.action === 'create') {
			const choice = await vscode.window.showWarningMessage(`Undo removes ${title}: the latest change is its creation.`,
				{ modal: true, detail: 'Bring Back, on the notice that follows, restores it with its key.' }, 'Remove');
			if (choice !== 'Remove') {
				return;
			}
		}
		const { record } = await sidecar.request('codex/undo', { id });
		if (!record) {
			this._panel.dispose();
			void vscode.window.showInformationMessage(`Undo removed ${title}: it had just been created.`, 'Bring Back').then(async choice => {
				if (choice === 'Bring Back') {
					await sidecar.request('codex/undo', { id });
					await vscode.commands.executeCommand('plue.settings.openRecord', id);
				}
			}).then(undefined, (e: unknown) => showError(`bring back ${title}`, e));
			return;
		}
		await this.apply(record);
		this._panel.post({ type: 'notice', text: 'The latest change is undone.' });
	}

	/**
	 * Stores a secret straight in the vault, at the reference the field already names or at one made for this record
	 * (`vault://<collection>/<slug>`); the form then holds that reference, saved with the record.
	 */
	private async storeSecret(field: string, value: string): Promise<void> {
		if (!value) {
			return;
		}
		const current = this._record?.fields[field];
		const name = this._record?.slug ?? `new-${Date.now().toString(36)}`;
		const ref = typeof current === 'string' && current.startsWith('vault://') ? current : `vault://${this._template?.collection ?? 'settings'}/${name}`;
		this._deps.redactor.add(value);
		await this._deps.sidecar.request('vault/store', { ref, value });
		this._storedSecrets.add(ref);
		this._panel.post({ type: 'secretSet', field, ref });
	}

	private async chooseFile(slot: string): Promise<void> {
		const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
		const [uri] = await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: folder, openLabel: 'Choose', title: 'Choose a workspace file' }) ?? [];
		if (uri) {
			this._panel.post({ type: 'fileChosen', slot, value: vscode.workspace.asRelativePath(uri, false) });
		}
	}

	/**
	 * The models an instance offers, for the form's model boxes: `instance` is a ref (`codex://providers/x`,
	 * `env:x`) or an id; '' is the provider instance this form edits. The instance is found in the providers' store
	 * (no request); its models are asked once and asked again only when its `listedModelsKey` changes (what `instances/models` answers from). None when it is
	 * unknown or its list fails (the box still takes any id).
	 */
	private async suggestModels(instance: string): Promise<void> {
		this._modelsAsked = instance;
		let models: FormChoice[] = [];
		const found = await this.instanceNamed(instance);
		if (found) {
			const key = listedModelsKey(found);
			let known = this._models.get(found.id);
			if (!known || known.key !== key) {
				known = { key, models: this._deps.providers.instanceModels(found.id).then(list => list.map(m => ({ value: m.id, label: m.name && m.name !== m.id ? m.name : '' }))) };
				this._models.set(found.id, known);
			}
			try {
				models = await known.models;
			} catch (error) {
				if (this._models.get(found.id) === known) {
					this._models.delete(found.id);
				}
				this._deps.log.info(`Settings: no model suggestions for ${found.displayName}: ${errorText(error)}`);
			}
		}
		if (!this._disposed) {
			this._panel.post({ type: 'models', instance, models });
		}
	}

	/** The instance a model box names, from the store: '' is this form's own record when it is a provider instance. */
	private async instanceNamed(instance: string): Promise<ProviderInstance | undefined> {
		const all = await this._deps.providers.instances();
		const own = instance === '' ? this._record?.id : undefined;
		return instance === '' ? all.find(i => i.id === own) : all.find(i => i.id === instance || i.ref === instance);
	}

	/** An instance told by the feed: when the boxes show its models and they may have changed, they are asked again. */
	private instanceChanged(instance: ProviderInstance): void {
		const known = this._models.get(instance.id);
		if (!known || known.key === listedModelsKey(instance)) {
			return;
		}
		this._models.delete(instance.id);
		const asked = this._modelsAsked;
		if (asked !== undefined && (asked === '' ? this._record?.id === instance.id : asked === instance.id || asked === instance.ref)) {
			void this.suggestModels(asked);
		}
	}

	private async busy(run: () => Promise<void>): Promise<void> {
		this._busy = true;
		this._panel.post({ type: 'busy', busy: true });
		try {
			await run();
		} finally {
			this._busy = false;
			this._panel.post({ type: 'busy', busy: false });
		}
	}

	private async attempt(action: string, run: () => Promise<void>): Promise<void> {
		try {
			await run();
		} catch (error) {
			this._deps.log.warn(`Settings: could not ${action}: ${errorText(error)}`);
			this._panel.post({ type: 'notice', text: `Could not ${action}: ${errorText(error)}`, error: true });
		}
	}

	dispose(): void {
		this._disposed = true;
		for (const d of this._subscriptions) {
			d.dispose();
		}
	}
}


function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The fields a history entry changed, by label. */
function changedFields(entry: HistoryEntry, labels: Record<string, string>): string | undefined {
	const before = entry.before?.fields ?? {};
	const after = entry.after?.fields ?? {};
	const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(n => JSON.stringify(before[n]) !== JSON.stringify(after[n]));
	if (entry.before?.title !== entry.after?.title && entry.before && entry.after) {
		names.unshift('title');
	}
	return names.length > 0 ? `Changed: ${names.map(n => n === 'title' ? 'Title' : labels[n] ?? n).join(', ')}` : undefined;
}

/** A new record or task omits what is empty rather than sending null. */
function withoutNulls(fields: JsonObject): JsonObject {
	return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, JsonValue] => entry[1] !== null));
}
