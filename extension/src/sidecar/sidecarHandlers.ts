import * as vscode from 'vscode';
import type { CancellationToken, LanguageClient } from 'vscode-languageclient/node';
import type { SidecarNotifications, SidecarRequests } from '../shared/protocol';

/** Answers one request the sidecar sends; the token is cancelled when the sidecar withdraws it. */
export type SidecarRequestHandler<M extends keyof SidecarRequests> =
	(params: SidecarRequests[M][0], token: CancellationToken) => Promise<SidecarRequests[M][1]>;

/**
 * The extension's listeners for what the sidecar sends: any number per
 * notification, one handler per request. vscode-jsonrpc keeps one handler per
 * method and a restart makes a new client, so this registry is the only thing
 * that registers on a client, and registers everything again on each new one.
 */
export class SidecarHandlers implements vscode.Disposable {
	private readonly _listeners = new Map<string, Set<(params: unknown) => void>>();
	private readonly _requests = new Map<string, (params: unknown, token: CancellationToken) => Promise<unknown>>();
	private _client: LanguageClient | undefined;

	onNotification<M extends keyof SidecarNotifications>(method: M, listener: (params: SidecarNotifications[M]) => void): vscode.Disposable {
		let listeners = this._listeners.get(method);
		if (!listeners) {
			listeners = new Set();
			this._listeners.set(method, listeners);
			this._client?.onNotification(method, (params: unknown) => this.dispatch(method, params));
		}
		const entry = listener as (params: unknown) => void;
		listeners.add(entry);
		return new vscode.Disposable(() => listeners.delete(entry));
	}

	onRequest<M extends keyof SidecarRequests>(method: M, handler: SidecarRequestHandler<M>): void {
		const entry = handler as (params: unknown, token: CancellationToken) => Promise<unknown>;
		this._requests.set(method, entry);
		this._client?.onRequest(method, entry);
	}

	/** Registers every listener and handler on a client that has just started. */
	attach(client: LanguageClient): void {
		this._client = client;
		for (const method of this._listeners.keys()) {
			client.onNotification(method, (params: unknown) => this.dispatch(method, params));
		}
		for (const [method, handler] of this._requests) {
			client.onRequest(method, handler);
		}
	}

	/** Forgets a client that was stopped. */
	detach(client: LanguageClient): void {
		if (this._client === client) {
			this._client = undefined;
		}
	}

	dispose(): void {
		this._listeners.clear();
		this._requests.clear();
	}

	private dispatch(method: string, params: unknown): void {
		for (const listener of [...this._listeners.get(method) ?? []]) {
			listener(params);
		}
	}
}
