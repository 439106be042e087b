import * as vscode from 'vscode';
import type { ProviderInstance } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';

/** `instances/list` for the pickers and the panels' headers, kept until a sidecar starts again or `refresh` is asked. */
export class InstanceNames implements vscode.Disposable {
	private _instances: ProviderInstance[] | undefined;
	private readonly _subscription: vscode.Disposable;

	constructor(private readonly _sidecar: Sidecar) {
		this._subscription = _sidecar.onDidStart(() => { this._instances = undefined; });
	}

	async instances(refresh = false): Promise<ProviderInstance[]> {
		if (!this._instances || refresh) {
			this._instances = await this._sidecar.request('instances/list');
		}
		return this._instances;
	}

	/** An instance's display name, or its id when it is not known (any failure is swallowed: this is decoration). */
	async nameOf(id: string): Promise<string> {
		const find = (list: ProviderInstance[]): string | undefined => list.find(instance => instance.id === id)?.displayName;
		try {
			return find(await this.instances()) ?? find(await this.instances(true)) ?? id;
		} catch {
			return id;
		}
	}

	dispose(): void {
		this._subscription.dispose();
	}
}
