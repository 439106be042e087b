import * as vscode from 'vscode';
import { McpToolsResult } from '../shared/protocol';
import { RecordStore } from '../sidecar/recordStore';
import { Redactor } from '../sidecar/redactor';
import { Sidecar } from '../sidecar/sidecar';
import { signInOver } from './mcpSignIn';
import { envEntry, EnvVar, grantName, isVaultRef, McpServer, mcpServerTemplateId, ownedSecretRefs, secretRef, signInRef } from './mcpServer';
import { errorText } from '../shared/errorText';

/** A variable as the user gave it: a secret's value goes to the vault, the record keeps `NAME=vault://…`. */
export interface NewEnvVar {
	name: string;
	value: string;
	secret: boolean;
}

export interface NewMcpServer {
	title: string;
	/** A remote server's URL: then command, args and env are not used. */
	url?: string;
	command: string;
	args: string[];
	env: NewEnvVar[];
	trusted?: boolean;
}

/** The fields an edit changes; absent ones stay. */
export interface McpServerChange {
	title?: string;
	command?: string;
	args?: string[];
	trusted?: boolean;
	enabled?: boolean;
}

/** How the last test of a server went, kept for the tree. */
export type McpTestOutcome = { ok: true; toolCount: number } | { ok: false; error: string };

/**
 * The extension's one door to the `mcp-server` records and the vault entries they own, and their store: the servers'
 * views, listed once (`mcp/servers`) and kept by `codex/changed`, which carries each server's view whoever changed
 * it (a settings form, another window, the command line). `onDidChange` fires when the store or a test outcome
 * changes, and every secret is registered with the trace redactor before it is sent.
 */
export class McpServerService implements vscode.Disposable {
	private readonly _onDidChange = new vscode.EventEmitter<void>();
	readonly onDidChange = this._onDidChange.event;
	private readonly _tests = new Map<string, McpTestOutcome>();
	private readonly _store: RecordStore<'mcp-server', McpServer>;
	private readonly _subscription: vscode.Disposable;

	constructor(private readonly _sidecar: Sidecar, private readonly _redactor: Redactor, log: vscode.LogOutputChannel) {
		this._store = new RecordStore(_sidecar, { kind: 'mcp-server', what: 'MCP servers', list: () => _sidecar.request('mcp/servers'), item: view => view.server }, log);
		// The MCP files' servers are listed with the records: a changed file lists them again.
		this._subscription = vscode.Disposable.from(
			this._store.onDidChange(() => this._onDidChange.fire()),
			_sidecar.onNotification('customizations/changed', () => void this._store.refresh()),
		);
	}

	/** By title, from the store. */
	async list(): Promise<McpServer[]> {
		await this._store.loaded();
		return this._store.all.sort((a, b) => a.title.localeCompare(b.title));
	}

	/**
	 * What a server named `title` would call its tools, `mcp__<slug>__<tool>`: the slug `codex/create` would give it
	 * now, by the sidecar's rule (no dot: "db.prod 2" is `db-prod-2`). Nothing is created.
	 */
	async toolNames(title: string): Promise<string> {
		const { slug } = await this._sidecar.request('codex/slug', { templateId: mcpServerTemplateId, title });
		return `${grantName(slug)}__<tool>`;
	}

	async get(id: string): Promise<McpServer> {
		return this.viewOf(id);
	}

	/**
	 * Creates the record, whose slug the sidecar makes from the title, then stores the secrets under that slug and
	 * writes their references into it; when that fails, the record and its secrets go.
	 */
	async create(spec: NewMcpServer): Promise<McpServer> {
		const plain = spec.env.filter(v => !v.secret).map(v => ({ name: v.name, value: v.value }));
		const record = await this._sidecar.request('codex/create', {
			templateId: mcpServerTemplateId,
			title: spec.title,
			fields: spec.url
				? { transport: 'http', url: spec.url, trusted: spec.trusted ?? false, enabled: true }
				: { command: spec.command, args: spec.args, env: plain.map(envEntry), trusted: spec.trusted ?? false, enabled: true },
		});
		if (spec.url || plain.length === spec.env.length) {
			return this.viewOf(record.id, record.version);
		}
		const stored: string[] = [];
		try {
			const env: EnvVar[] = [];
			for (const variable of spec.env) {
				env.push(await this.entryFor(record.slug, variable, stored));
			}
			const updated = await this._sidecar.request('codex/update', { id: record.id, version: record.version, fields: { env: env.map(envEntry) } });
			return await this.viewOf(updated.id, updated.version);
		} catch (error) {
			await this._sidecar.request('codex/delete', { id: record.id }).catch(() => undefined);
			await this.forget(stored);
			throw error;
		}
	}

	update(server: McpServer, change: McpServerChange): Promise<McpServer> {
		const { title, ...fields } = change;
		return this._sidecar.request('codex/update', { id: server.id, version: server.version, title, fields }).then(record => this.viewOf(record.id, record.version));
	}

	setEnabled(server: McpServer, enabled: boolean): Promise<McpServer> {
		return this.update(server, { enabled });
	}

	/**
	 * Adds or replaces a variable. A secret is stored first (a variable already pointing at its own vault entry only
	 * needs the new value there); a secret the variable owned and no longer uses is deleted after the record changed.
	 */
	async setEnvVar(server: McpServer, variable: NewEnvVar): Promise<McpServer> {
		const stored: string[] = [];
		try {
			const entry = await this.entryFor(server.slug, variable, stored);
			const previous = server.env.find(v => v.name === variable.name);
			if (previous?.value === entry.value) {
				return server;
			}
			const env = previous ? server.env.map(v => (v.name === variable.name ? entry : v)) : [...server.env, entry];
			const updated = await this.writeEnv(server, env);
			await this.forget(previous ? ownedSecretRefs({ slug: server.slug, env: [previous] }) : []);
			return updated;
		} catch (error) {
			await this.forget(stored.filter(ref => !server.env.some(v => v.value === ref)));
			throw error;
		}
	}

	/** Removes a variable, and then its vault entry if the server owned it. */
	async removeEnvVar(server: McpServer, name: string): Promise<McpServer> {
		const updated = await this.writeEnv(server, server.env.filter(v => v.name !== name));
		await this.forget(ownedSecretRefs({ slug: server.slug, env: server.env.filter(v => v.name === name) }), 'strict');
		return updated;
	}

	/**
	 * Deletes the record; the sidecar puts away the vault entries it owned with it (and Undo brings them back), whichever
	 * door deleted it. Returns those entries' references.
	 */
	async remove(server: McpServer): Promise<string[]> {
		await this._sidecar.request('codex/delete', { id: server.id });
		this._tests.delete(server.id);
		return [...ownedSecretRefs(server), ...(server.url ? [signInRef(server.slug)] : [])];
	}

	/** Starts the server as configured and lists its tools (`mcp/tools`); the outcome is kept for the tree. */
	async tools(server: McpServer): Promise<McpToolsResult> {
		try {
			const result = await this._sidecar.request('mcp/tools', { id: server.id });
			this._tests.set(server.id, { ok: true, toolCount: result.tools.length });
			return result;
		} catch (error) {
			this._tests.set(server.id, { ok: false, error: errorText(error) });
			throw error;
		} finally {
			signInOver(server.slug);
			this._onDidChange.fire();
		}
	}

	lastTest(id: string): McpTestOutcome | undefined {
		return this._tests.get(id);
	}

	async hasSecret(ref: string): Promise<boolean> {
		return (await this._sidecar.request('vault/has', { ref })).exists;
	}

	/** Lists the servers again. */
	refresh(): void {
		void this._store.refresh();
	}

	dispose(): void {
		for (const d of [this._subscription, this._store, this._onDidChange]) {
			d.dispose();
		}
	}

	/** The record's entry for a variable; a secret is stored in the vault first (its reference added to `stored`). */
	private async entryFor(slug: string, variable: NewEnvVar, stored: string[]): Promise<EnvVar> {
		if (!variable.secret) {
			return { name: variable.name, value: variable.value };
		}
		if (isVaultRef(variable.value)) {
			throw new Error(`${variable.name}: a secret's value is the secret itself, not a vault:// reference`);
		}
		const ref = secretRef(slug, variable.name);
		this._redactor.add(variable.value);
		await this._sidecar.request('vault/store', { ref, value: variable.value });
		stored.push(ref);
		return { name: variable.name, value: ref };
	}

	private async writeEnv(server: McpServer, env: EnvVar[]): Promise<McpServer> {
		const record = await this._sidecar.request('codex/update', { id: server.id, version: server.version, fields: { env: env.map(envEntry) } });
		return this.viewOf(record.id, record.version);
	}

	/** The server's view as the feed told it with the change just made (told before the request's answer). */
	private async viewOf(id: string, version = 0): Promise<McpServer> {
		const told = this._store.get(id);
		if (told && told.version >= version) {
			return told;
		}
		await this._store.refresh();
		const listed = this._store.get(id);
		if (!listed) {
			throw new Error(`the MCP server ${id} is gone`);
		}
		return listed;
	}

	/**
	 * Deletes vault entries. Cleaning up after a failure is best effort (the first error is the one to report); after
	 * a change that went through, `strict` reports the entries left behind, which the user may want to delete.
	 */
	private async forget(refs: string[], mode: 'bestEffort' | 'strict' = 'bestEffort'): Promise<void> {
		const left: string[] = [];
		for (const ref of refs) {
			await this._sidecar.request('vault/delete', { ref }).catch((error: unknown) => {
				left.push(`${ref} (${errorText(error)})`);
			});
		}
		if (left.length > 0 && mode === 'strict') {
			throw new Error(`the change is saved, but these secrets could not be deleted from the vault: ${left.join(', ')}`);
		}
	}
}
