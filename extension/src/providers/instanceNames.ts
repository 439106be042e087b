import * as vscode from 'vscode';
import type { ProviderInstance } from '../shared/protocol';
import type { ProviderService } from './providerService';

/** The provider instances for the pickers and the panels' headers: the providers' store, kept by the feed. */
export class InstanceNames implements vscode.Disposable {
	constructor(private readonly _providers: ProviderService) {}

	instances(): Promise<ProviderInstance[]> {
		return this._providers.instances();
	}

	/** An instance's display name, or its id when it is not known (any failure is swallowed: this is decoration). */
	async nameOf(id: string): Promise<string> {
		try {
			return (await this.instances()).find(instance => instance.id === id)?.displayName ?? id;
		} catch {
			return id;
		}
	}

	dispose(): void {
		// The store is the provider service's.
	}
}
