import * as vscode from 'vscode';
import { CatalogModel, CatalogProviderSummary, CreateInstanceParams, ProviderInstance, InstanceTestResult, TemplateDetail, UpdateInstanceParams } from '../shared/protocol';
import { Redactor } from '../sidecar/redactor';
import { Sidecar } from '../sidecar/sidecar';

/** The vault reference a provider's shared key lives at. */
export function defaultKeyRef(providerId: string): string {
	return `vault://${providerId}/default`;
}

/**
 * The extension's one door to the sidecar's catalog, instances and vault.
 * `onDidChange` fires for every committed change to a provider record, whoever made it (`codex/changed`: the
 * settings form, a command, another window, the command line), and after the tests this door runs; every secret is
 * registered with the trace redactor before it is sent.
 */
export class ProviderService implements vscode.Disposable {
	private readonly _onDidChange = new vscode.EventEmitter<void>();
	readonly onDidChange = this._onDidChange.event;

	private readonly _subscription: vscode.Disposable;

	constructor(private readonly _sidecar: Sidecar, private readonly _redactor: Redactor) {
		this._subscription = _sidecar.onNotification('codex/changed', change => {
			if (change.kind === 'llm-provider') {
				this._onDidChange.fire();
			}
		});
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

	instances(): Promise<ProviderInstance[]> {
		return this._sidecar.request('instances/list');
	}

	instance(id: string): Promise<ProviderInstance> {
		return this._sidecar.request('instances/get', { id });
	}

	instanceModels(id: string): Promise<CatalogModel[]> {
		return this._sidecar.request('instances/models', { id });
	}

	/** Record changes are told by `codex/changed`, which fires `onDidChange`. */
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

	/** Enabling also tests the instance: the result carries that test as its `lastTest`, and views refresh after. */
	setEnabled(id: string, enabled: boolean): Promise<ProviderInstance> {
		return this.changing(this._sidecar.request('instances/setEnabled', { id, enabled }));
	}

	/** Tests the instance; views refresh after, since the sidecar keeps the result as its last test. */
	test(id: string): Promise<InstanceTestResult> {
		return this.changing(this._sidecar.request('instances/test', { id }));
	}

	/** Stores a secret in the sidecar's encrypted vault. The value is never logged or returned. */
	async storeKey(ref: string, value: string): Promise<void> {
		this._redactor.add(value);
		await this.changing(this._sidecar.request('vault/store', { ref, value }));
	}

	async hasKey(ref: string): Promise<boolean> {
		return (await this._sidecar.request('vault/has', { ref })).exists;
	}

	vaultRefs(): Promise<string[]> {
		return this._sidecar.request('vault/list');
	}

	/** Tells views to reload (e.g. after the sidecar restarted). */
	refresh(): void {
		this._onDidChange.fire();
	}

	dispose(): void {
		this._subscription.dispose();
		this._onDidChange.dispose();
	}

	/** Fires `onDidChange` once a change settles, failed or not: a failure may still have changed something. */
	private async changing<T>(request: Promise<T>): Promise<T> {
		try {
			return await request;
		} finally {
			this._onDidChange.fire();
		}
	}
}
