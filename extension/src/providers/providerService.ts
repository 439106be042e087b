import * as vscode from 'vscode';
import { CatalogModel, CatalogProviderSummary, CreateInstanceParams, ProviderInstance, InstanceTestResult, TemplateDetail, UpdateInstanceParams } from '../shared/protocol';
import { RecordStore } from '../sidecar/recordStore';
import { Redactor } from '../sidecar/redactor';
import { Sidecar } from '../sidecar/sidecar';

/** The vault reference a provider's shared key lives at. */
export function defaultKeyRef(providerId: string): string {
	return `vault://${providerId}/default`;
}

/**
 * The extension's one door to the sidecar's catalog, instances and vault, and the instances' store: listed once when
 * the sidecar starts (`instances/list`, the environment's too) and kept by `codex/changed`, which carries each
 * instance's view whoever changed it (the settings form, a command, another window, the command line); a test or a
 * key stored here updates the instance it concerns. `onDidChange` fires when the store changes; every secret is
 * registered with the trace redactor before it is sent.
 */
export class ProviderService implements vscode.Disposable {
	private readonly _store: RecordStore<'llm-provider', ProviderInstance>;
	readonly onDidChange: vscode.Event<void>;
	/** Fires with each instance as the sidecar tells of it (a commit, a test, a key stored). */
	readonly onDidChangeInstance: vscode.Event<ProviderInstance>;

	constructor(private readonly _sidecar: Sidecar, private readonly _redactor: Redactor, log: vscode.LogOutputChannel) {
		this._store = new RecordStore(_sidecar, { kind: 'llm-provider', what: 'provider instances', list: () => _sidecar.request('instances/list'), item: view => view.instance }, log);
		this.onDidChange = this._store.onDidChange;
		this.onDidChangeInstance = this._store.onDidChangeItem;
	}

	catalog(): Promise<CatalogProviderSummary[]> {
		return this._sidecar.request('catalog/list');
	}

	catalogModels(providerId: string): Promise<CatalogModel[]> {
		return this._sidecar.request('catalog/models', { providerId });
	}

	/** The `llm-provider` template in force: the shipped one, or the user's of the same id. */
	template(): Promise<TemplateDetail> {
		return this._sidecar.request('templates/get', { id: 'llm-provider' });
	}

	/** From the store. */
	async instances(): Promise<ProviderInstance[]> {
		await this._store.loaded();
		return this._store.all;
	}

	instance(id: string): Promise<ProviderInstance> {
		return this._sidecar.request('instances/get', { id });
	}

	/** The store's view of an instance as it is now (no request). */
	known(id: string): ProviderInstance | undefined {
		return this._store.get(id);
	}

	/** The instance's view at `version` or later, once the feed has told it; undefined if it has not in `ms`. */
	whenVersion(id: string, version: number, ms = 10_000): Promise<ProviderInstance | undefined> {
		const now = this._store.get(id);
		if (now && now.version >= version) {
			return Promise.resolve(now);
		}
		return new Promise(resolve => {
			const timer = setTimeout(() => { listener.dispose(); resolve(undefined); }, ms);
			const listener = this._store.onDidChangeItem(instance => {
				if (instance.id === id && instance.version >= version) {
					clearTimeout(timer);
					listener.dispose();
					resolve(instance);
				}
			});
		});
	}

	instanceModels(id: string): Promise<CatalogModel[]> {
		return this._sidecar.request('instances/models', { id });
	}

	/** Record changes are told by `codex/changed`, which the store applies. */
	create(params: CreateInstanceParams): Promise<ProviderInstance> {
		if (params.apiKey) {
			this._redactor.add(params.apiKey);
		}
		return this._sidecar.request('instances/create', params);
	}

	update(params: UpdateInstanceParams): Promise<ProviderInstance> {
		if (params.apiKey) {
			this._redactor.add(params.apiKey);
		}
		return this._sidecar.request('instances/update', params);
	}

	async remove(id: string): Promise<void> {
		await this._sidecar.request('instances/delete', { id });
	}

	/** Enabling also tests the instance: the result carries that test as its `lastTest`. */
	async setEnabled(id: string, enabled: boolean): Promise<ProviderInstance> {
		const instance = await this._sidecar.request('instances/setEnabled', { id, enabled });
		this._store.put(instance);
		return instance;
	}

	/** Tests the instance; the sidecar keeps the result as its last test, and so does the store. */
	async test(id: string): Promise<InstanceTestResult> {
		const result = await this._sidecar.request('instances/test', { id });
		const known = this._store.get(id);
		if (known) {
			this._store.put({ ...known, lastTest: result });
		}
		return result;
	}

	/** Stores a secret in the sidecar's encrypted vault (the instances that name it have a key now). The value is never logged or returned. */
	async storeKey(ref: string, value: string): Promise<void> {
		this._redactor.add(value);
		await this._sidecar.request('vault/store', { ref, value });
		for (const instance of this._store.all.filter(i => i.apiKeyRef === ref && !i.hasKey)) {
			this._store.put({ ...instance, hasKey: true });
		}
	}

	async hasKey(ref: string): Promise<boolean> {
		return (await this._sidecar.request('vault/has', { ref })).exists;
	}

	vaultRefs(): Promise<string[]> {
		return this._sidecar.request('vault/list');
	}

	/** Lists the instances again (e.g. after the sidecar restarted). */
	refresh(): void {
		void this._store.refresh();
	}

	dispose(): void {
		this._store.dispose();
	}
}
