import * as vscode from 'vscode';
import { McpToolsResult } from '../shared/protocol';
import { Redactor } from '../sidecar/redactor';
import { Sidecar } from '../sidecar/sidecar';
import { envEntry, EnvVar, freeSlug, isVaultRef, McpServer, mcpServerFrom, mcpServerTemplateId, ownedSecretRefs, secretRef, signInRef } from './mcpServer';

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
 * The extension's one door to the `mcp-server` records and the vault entries they own. Every change goes through
 * here so the MCP Servers view refreshes after it (`onDidChange`), and every secret is registered with the trace
 * redactor before it is sent.
 */
export class McpServerService implements vscode.Disposable {
	private readonly _onDidChange = new vscode.EventEmitter<void>();
	readonly onDidChange = this._onDidChange.event;
	private readonly _tests = new Map<string, McpTestOutcome>();

	private readonly _subscription: vscode.Disposable;

	constructor(private readonly _sidecar: Sidecar, private readonly _redactor: Redactor) {
		// Every committed change to a server record, whoever made it (a settings form, another window), redraws the view.
		this._subscription = _sidecar.onNotification('codex/changed', change => {
			if (change.kind === 'mcp-server') {
				this._onDidChange.fire();
			}
		});
	}

	async list(): Promise<McpServer[]> {
		const result = await this._sidecar.request('codex/list', { templateId: mcpServerTemplateId, sort: 'titleAsc', limit: 500 });
		return result.items.map(mcpServerFrom);
	}

	async get(id: string): Promise<McpServer> {
		return mcpServerFrom(await this._sidecar.request('codex/get', { id }));
	}

	/** Stores the secrets under the slug the record will get, then creates it; a refused record takes its secrets with it. */
	async create(spec: NewMcpServer): Promise<McpServer> {
		const slug = freeSlug(spec.title, new Set((await this.list()).map(s => s.slug)));
		if (!slug) {
			throw new Error('the name needs at least one letter or digit');
		}
		const stored: string[] = [];
		try {
			const env: EnvVar[] = [];
			for (const variable of spec.env) {
				env.push(await this.entryFor(slug, variable, stored));
			}
			const record = await this._sidecar.request('codex/create', {
				templateId: mcpServerTemplateId,
				title: spec.title,
				slug,
				fields: spec.url
					? { transport: 'http', url: spec.url, trusted: spec.trusted ?? false, enabled: true }
					: { command: spec.command, args: spec.args, env: env.map(envEntry), trusted: spec.trusted ?? false, enabled: true },
			});
			return mcpServerFrom(record);
		} catch (error) {
			await this.forget(stored);
			throw error;
		} finally {
			this._onDidChange.fire();
		}
	}

	update(server: McpServer, change: McpServerChange): Promise<McpServer> {
		const { title, ...fields } = change;
		return this.changing(this._sidecar.request('codex/update', { id: server.id, version: server.version, title, fields }).then(mcpServerFrom));
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
		} finally {
			this._onDidChange.fire();
		}
	}

	/** Removes a variable, and then its vault entry if the server owned it. */
	async removeEnvVar(server: McpServer, name: string): Promise<McpServer> {
		try {
			const updated = await this.writeEnv(server, server.env.filter(v => v.name !== name));
			await this.forget(ownedSecretRefs({ slug: server.slug, env: server.env.filter(v => v.name === name) }), 'strict');
			return updated;
		} finally {
			this._onDidChange.fire();
		}
	}

	/** Deletes the record, then the vault entries it owned. Returns those entries' references. */
	async remove(server: McpServer): Promise<string[]> {
		try {
			await this._sidecar.request('codex/delete', { id: server.id });
			this._tests.delete(server.id);
			const owned = [...ownedSecretRefs(server), ...(server.url ? [signInRef(server.slug)] : [])];
			await this.forget(owned, 'strict');
			return owned;
		} finally {
			this._onDidChange.fire();
		}
	}

	/** Starts the server as configured and lists its tools (`mcp/tools`); the outcome is kept for the tree. */
	async tools(server: McpServer): Promise<McpToolsResult> {
		try {
			const result = await this._sidecar.request('mcp/tools', { id: server.id });
			this._tests.set(server.id, { ok: true, toolCount: result.tools.length });
			return result;
		} catch (error) {
			this._tests.set(server.id, { ok: false, error: error instanceof Error ? error.message : String(error) });
			throw error;
		} finally {
			this._onDidChange.fire();
		}
	}

	lastTest(id: string): McpTestOutcome | undefined {
		return this._tests.get(id);
	}

	async hasSecret(ref: string): Promise<boolean> {
		return (await this._sidecar.request('vault/has', { ref })).exists;
	}

	/** Tells views to reload. */
	refresh(): void {
		this._onDidChange.fire();
	}

	dispose(): void {
		this._subscription.dispose();
		this._onDidChange.dispose();
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
		return mcpServerFrom(record);
	}

	/**
	 * Deletes vault entries. Cleaning up after a failure is best effort (the first error is the one to report); after
	 * a change that went through, `strict` reports the entries left behind, which the user may want to delete.
	 */
	private async forget(refs: string[], mode: 'bestEffort' | 'strict' = 'bestEffort'): Promise<void> {
		const left: string[] = [];
		for (const ref of refs) {
			await this._sidecar.request('vault/delete', { ref }).catch((error: unknown) => {
				left.push(`${ref} (${error instanceof Error ? error.message : String(error)})`);
			});
		}
		if (left.length > 0 && mode === 'strict') {
			throw new Error(`the change is saved, but these secrets could not be deleted from the vault: ${left.join(', ')}`);
		}
	}

	private async changing<T>(request: Promise<T>): Promise<T> {
		try {
			return await request;
		} finally {
			this._onDidChange.fire();
		}
	}
}
