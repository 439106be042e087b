import type { CodexRecord, FieldDto, JsonObject, ProviderInstance, TemplateDetail, TemplateSummary } from '../shared/protocol';
import { FormChoice, FormModel, isInstanceField, isSecretField, looksOf } from '../shared/settingsMessages';
import type { Sidecar } from '../sidecar/sidecar';
import type { SettingsKinds } from './kindSettings';

/** What a form shows, kept so a save or an undo applies the record it returns without reading anything again. */
export interface FormSeed {
	form: FormModel;
	template: TemplateDetail;
	record?: CodexRecord;
}

/** What a settings panel shows: the home, a stored record, a new record of a template, or a task to start from one. */
export type SettingsTarget =
	| { kind: 'home' }
	/** `title`: the record's title as its opener knows it (a row's), naming the panel before its form has loaded. */
	| { kind: 'record'; id: string; title?: string }
	/** `title` and `values` start the form (Add Provider Instance's picked provider); a reload starts it empty. */
	| { kind: 'new'; templateId: string; title?: string; values?: JsonObject }
	| { kind: 'run'; templateId: string };

/** The key a panel is kept under (one panel per target), and what the webview keeps to come back after a reload. */
export function targetKey(target: SettingsTarget): string {
	return target.kind === 'home' ? 'home' : target.kind === 'record' ? `record:${target.id}` : `${target.kind}:${target.templateId}`;
}

export function parseTargetKey(key: string): SettingsTarget | undefined {
	const [kind, ...rest] = key.split(':');
	const value = rest.join(':');
	switch (kind) {
		case 'home': return { kind: 'home' };
		case 'record': return value ? { kind: 'record', id: value } : undefined;
		case 'new':
		case 'run': return value ? { kind, templateId: value } : undefined;
		default: return undefined;
	}
}

/** The fields its feature writes itself (the template marks them `role: "feature-written"`), left out of the form. */
export function hiddenFields(template: TemplateDetail): string[] {
	return template.fields.filter(f => f.role === 'feature-written').map(f => f.name);
}

/** Builds the form of a record (edit), a new record (create) or a task to start (run). */
export async function buildForm(deps: { sidecar: Sidecar; providers: { instances(): Promise<ProviderInstance[]> }; kinds: SettingsKinds }, target: Exclude<SettingsTarget, { kind: 'home' }>): Promise<{ form: FormModel; template: TemplateDetail; record?: CodexRecord }> {
	const { sidecar } = deps;
	const record = target.kind === 'record' ? await sidecar.request('codex/get', { id: target.id }) : undefined;
	const template = await sidecar.request('templates/get', { id: record?.templateId ?? (target as { templateId: string }).templateId });
	const [choices, secrets] = await Promise.all([choicesFor(sidecar, () => deps.providers.instances(), template.fields), secretsSet(sidecar, template.fields, record?.fields ?? {})]);
	const mode = target.kind === 'record' ? 'edit' : target.kind === 'new' ? 'create' : 'run';
	const values = record?.fields ?? (target.kind === 'new' ? target.values : undefined) ?? {};
	const kind = deps.kinds.of(template);
	const form: FormModel = {
		mode,
		templateId: template.id,
		templateName: template.name,
		templateDescription: template.description,
		looks: looksOf(template.metadata),
		title: record?.title ?? (target.kind === 'new' ? target.title : undefined) ?? '',
		titleShown: mode !== 'run',
		fields: kind.fields ? await kind.fields(template.fields, values, sidecar).catch(() => template.fields) : template.fields,
		hidden: hiddenFields(template),
		values,
		version: record?.version,
		updatedAt: record?.updatedAt,
		choices,
		secrets,
		submitLabel: mode === 'edit' ? 'Save' : mode === 'create' ? 'Create' : 'Start Task',
		actions: mode === 'edit' ? kind.actions : undefined,
		note: mode === 'run' ? 'The task starts when you press Start Task, and opens in its own panel.' : deps.kinds.of(template).note,
	};
	return { form, template, record };
}

/**
 * The form of a record as a save or an undo returned it, from the form already shown: no request. A secret field is
 * set when it names a reference stored from this form (`stored`), or the one it named already was set.
 */
export function formOfRecord(shown: FormModel, record: CodexRecord, stored: ReadonlySet<string>): FormModel {
	const secrets = Object.fromEntries(Object.keys(shown.secrets).map(name => {
		const ref = record.fields[name];
		const set = typeof ref === 'string' && (stored.has(ref) || shown.secrets[name] === true && shown.values[name] === ref);
		return [name, set] as const;
	}));
	return {
		...shown, mode: 'edit', title: record.title, values: record.fields, version: record.version, updatedAt: record.updatedAt,
		secrets, submitLabel: 'Save',
	};
}

/** Every field spec in a form with the key its choices go under: its name, `parent.child` in objects, the array's for items. */
export function walkFields(fields: FieldDto[], visit: (field: FieldDto, key: string) => void, prefix = ''): void {
	for (const field of fields) {
		const key = prefix ? `${prefix}.${field.name}` : field.name;
		visit(field, key);
		if (field.items) {
			visit(field.items, key);
			walkFields(field.items.properties ?? [], visit, key);
		}
		walkFields(field.properties ?? [], visit, key);
	}
}

/**
 * The choices of `codex_reference` fields (the records their filter allows, with their template's icon, or the
 * prompts), and suggestions for `file_reference` fields (the prompts), `role: "instance"` fields (the provider
 * instances, including those from environment keys) and `mcp_tools` entries (a chat's or a task's: every MCP server in
 * use, from a record or a file).
 */
async function choicesFor(sidecar: Sidecar, listInstances: () => Promise<ProviderInstance[]>, fields: FieldDto[]): Promise<Record<string, FormChoice[]>> {
	const wanted: { key: string; load: () => Promise<FormChoice[]> }[] = [];
	const prompts = once(async () => (await sidecar.request('prompts/list')).map(p => ({ value: p.ref, label: p.title || p.name, icon: 'note' })));
	const instances = once(async () => (await listInstances()).map(i => ({ value: i.ref, label: i.displayName, icon: 'server' })));
	const templates = once(() => sidecar.request('templates/list'));
	// Every MCP server in use, a record's or a file's (.mcp.json and the like), as the grant that gives all its tools.
	const mcpServers = once(async () => (await sidecar.request('mcp/servers')).filter(s => s.enabled && !s.ignored)
		.map(s => ({ value: `mcp__${s.slug}`, label: s.file ? `${s.title} (from ${s.file})` : s.title, icon: 'plug' })));
	walkFields(fields, (field, key) => {
		if (key === 'mcp_tools' && field.type === 'text') {
			wanted.push({ key, load: mcpServers });
		} else if (field.type === 'codex_reference') {
			wanted.push({ key, load: () => referenceChoices(sidecar, field.templateFilter ?? [], prompts, templates) });
		} else if (field.type === 'file_reference') {
			wanted.push({ key, load: prompts });
		} else if (isInstanceField(field)) {
			wanted.push({ key, load: instances });
		}
	});
	const loaded = await Promise.all(wanted.map(async w => [w.key, await w.load().catch(() => [])] as const));
	return Object.fromEntries(loaded);
}

async function referenceChoices(sidecar: Sidecar, filter: string[], prompts: () => Promise<FormChoice[]>, templates: () => Promise<TemplateSummary[]>): Promise<FormChoice[]> {
	const all = await templates();
	// A filter names a template or an ancestor: its records and those of every template that inherits from it.
	const ids = filter.length === 0 ? all.filter(t => t.usable).map(t => t.id) : all.filter(t => t.usable && descendsFrom(t, filter, all)).map(t => t.id);
	const records = await Promise.all(ids.map(async id => {
		const icon = looksOf(all.find(t => t.id === id && t.active)?.metadata).icon;
		const page = await sidecar.request('codex/list', { templateId: id, sort: 'titleAsc', limit: 200 });
		return page.items.filter(r => r.templateId === id).map(r => ({ value: r.ref, label: r.title || r.slug, icon }));
	}));
	return [...(filter.includes('markdown') ? await prompts() : []), ...records.flat()];
}

/** Whether a template is one of `ids` or inherits from one of them. */
export function descendsFrom(template: TemplateSummary, ids: string[], all: TemplateSummary[]): boolean {
	for (let t: TemplateSummary | undefined = template, depth = 0; t && depth < 20; depth++) {
		if (ids.includes(t.id)) {
			return true;
		}
		const parent: string | undefined = t.parentTemplate;
		t = parent ? all.find(p => p.id === parent && p.active) : undefined;
	}
	return false;
}

/** For each secret field: whether the vault holds a secret at the reference the record names. */
async function secretsSet(sidecar: Sidecar, fields: FieldDto[], values: JsonObject): Promise<Record<string, boolean>> {
	const entries = await Promise.all(fields.filter(isSecretField).map(async field => {
		const ref = values[field.name];
		const set = typeof ref === 'string' && ref.startsWith('vault://') ? (await sidecar.request('vault/has', { ref }).catch(() => ({ exists: false }))).exists : false;
		return [field.name, set] as const;
	}));
	return Object.fromEntries(entries);
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
	let promise: Promise<T> | undefined;
	return () => (promise ??= load());
}
