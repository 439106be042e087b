import * as vscode from 'vscode';
import type { CancellationToken, RequestType, RequestType0 } from 'vscode-languageclient/node';
import {
	AgentTask, ListInstancesRequest, Message, MessageUpdatedNotification, PartDeltaNotification, PartDeltaParams, PermissionRequest,
	PermissionRequestParams, PermissionRequestResult, ProviderInstance, Session, SessionUpdatedNotification, TaskUpdatedNotification,
} from '../protocol';
import { Sidecar } from '../sidecar';

/** Answers the sidecar's `permission/request`; the token is cancelled when the sidecar withdraws the question. */
export type PermissionHandler = (params: PermissionRequestParams, token: CancellationToken) => Promise<PermissionRequestResult>;

/**
 * The chat and task features' view of the sidecar: typed requests that fail
 * with a readable reason while it is not running, and the streaming
 * notifications as events. vscode-jsonrpc keeps one handler per method, so this
 * is the only place that registers them; panels and the tree subscribe here.
 * A task's transcript streams like a chat's, with the task id as `sessionId`.
 */
export class ChatClient implements vscode.Disposable {
	private readonly _onPartDelta = new vscode.EventEmitter<PartDeltaParams>();
	private readonly _onMessageUpdated = new vscode.EventEmitter<Message>();
	private readonly _onSessionUpdated = new vscode.EventEmitter<Session>();
	private readonly _onTaskUpdated = new vscode.EventEmitter<AgentTask>();
	private readonly _onDidStart = new vscode.EventEmitter<void>();
	readonly onPartDelta = this._onPartDelta.event;
	readonly onMessageUpdated = this._onMessageUpdated.event;
	readonly onSessionUpdated = this._onSessionUpdated.event;
	readonly onTaskUpdated = this._onTaskUpdated.event;
	/** Fires each time a (new) sidecar is running. */
	readonly onDidStart = this._onDidStart.event;
	private readonly _subscriptions: vscode.Disposable[] = [];
	private _instances: ProviderInstance[] | undefined;
	private _permissionHandler: PermissionHandler | undefined;

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

	/** Sends a request without params to the running sidecar. */
	async request0<R>(type: RequestType0<R, void>): Promise<R> {
		return this.runningClient().sendRequest(type);
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

	/** Sets who answers `permission/request` (registered on every sidecar started from now on, and the running one). */
	handlePermissionRequests(handler: PermissionHandler): void {
		this._permissionHandler = handler;
		if (this._sidecar.state.kind === 'running') {
			this.attachPermissionHandler();
		}
	}

	dispose(): void {
		for (const d of [...this._subscriptions, this._onPartDelta, this._onMessageUpdated, this._onSessionUpdated, this._onTaskUpdated, this._onDidStart]) {
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
		client.onNotification(TaskUpdatedNotification.type, params => this._onTaskUpdated.fire(params.task));
		this.attachPermissionHandler();
		this._onDidStart.fire();
	}

	private attachPermissionHandler(): void {
		const client = this._sidecar.client;
		const handler = this._permissionHandler;
		if (client && handler) {
			client.onRequest(PermissionRequest.type, (params, token) => handler(params, token));
		}
	}
}
