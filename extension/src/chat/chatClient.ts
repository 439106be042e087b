import * as vscode from 'vscode';
import type { RequestType } from 'vscode-languageclient/node';
import {
	ListInstancesRequest, Message, MessageUpdatedNotification, ProviderInstance, PartDeltaNotification, PartDeltaParams,
	Session, SessionUpdatedNotification,
} from '../protocol';
import { Sidecar } from '../sidecar';

/**
 * The chat features' view of the sidecar: typed requests that fail with a
 * readable reason while it is not running, and the streaming notifications as
 * events. vscode-jsonrpc keeps one handler per notification method, so this is
 * the only place that registers them; panels and the tree subscribe here.
 */
export class ChatClient implements vscode.Disposable {
	private readonly _onPartDelta = new vscode.EventEmitter<PartDeltaParams>();
	private readonly _onMessageUpdated = new vscode.EventEmitter<Message>();
	private readonly _onSessionUpdated = new vscode.EventEmitter<Session>();
	private readonly _onDidStart = new vscode.EventEmitter<void>();
	readonly onPartDelta = this._onPartDelta.event;
	readonly onMessageUpdated = this._onMessageUpdated.event;
	readonly onSessionUpdated = this._onSessionUpdated.event;
	/** Fires each time a (new) sidecar is running. */
	readonly onDidStart = this._onDidStart.event;
	private readonly _subscriptions: vscode.Disposable[] = [];
	private _instances: ProviderInstance[] | undefined;

	constructor(private readonly _sidecar: Sidecar) {
		this._subscriptions.push(_sidecar.onDidChangeState(state => {
			if (state.kind === 'running') {
				this.attach();
			}
		}));
		if (_sidecar.state.kind === 'running') {
			this.attach();
		}
	}

	/** Sends a request to the running sidecar. */
	async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
		// By method name: the typed overload cannot check a still-generic P against its RequestParam<P>.
		return this.runningClient().sendRequest<R>(type.method, params);
	}

	/** `instances/list`, cached until `refresh` is set. */
	async instances(refresh = false): Promise<ProviderInstance[]> {
		if (!this._instances || refresh) {
			this._instances = await this.runningClient().sendRequest(ListInstancesRequest.type);
		}
		return this._instances;
	}

	/** An instance's display name, or its id when it is not known (any failure is swallowed: this is decoration). */
	async instanceName(id: string): Promise<string> {
		const find = (list: ProviderInstance[]): string | undefined => list.find(instance => instance.id === id)?.displayName;
		try {
			return find(await this.instances()) ?? find(await this.instances(true)) ?? id;
		} catch {
			return id;
		}
	}

	dispose(): void {
		for (const d of [...this._subscriptions, this._onPartDelta, this._onMessageUpdated, this._onSessionUpdated, this._onDidStart]) {
			d.dispose();
		}
	}

	private runningClient(): NonNullable<Sidecar['client']> {
		const client = this._sidecar.client;
		if (!client || this._sidecar.state.kind !== 'running') {
			throw new Error(this._sidecar.notRunningMessage());
		}
		return client;
	}

	private attach(): void {
		const client = this._sidecar.client;
		if (!client) {
			return;
		}
		this._instances = undefined;
		// Registering again on the same client replaces the handler; the client owns these disposables.
		client.onNotification(PartDeltaNotification.type, params => this._onPartDelta.fire(params));
		client.onNotification(MessageUpdatedNotification.type, params => this._onMessageUpdated.fire(params.message));
		client.onNotification(SessionUpdatedNotification.type, params => this._onSessionUpdated.fire(params.session));
		this._onDidStart.fire();
	}
}
