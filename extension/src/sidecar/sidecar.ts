import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, RevealOutputChannelOn, State } from 'vscode-languageclient/node';
import type { ClientNotifications, ClientRequests, InitializationOptions, SidecarNotifications, SidecarRequests, StatusResult } from '../shared/protocol';
import { CrashCount, CrashPolicy, isGoneWhileStarting } from './crashPolicy';
import { findDotnet, missingDotnetMessage, offerDotnet } from './dotnetRuntime';
import { locateSidecar, SidecarCommand, sidecarCommand } from './sidecarCommand';
import { SidecarHandlers, SidecarRequestHandler } from './sidecarHandlers';
import { SidecarNotRunning, storeNewerNotice } from './requestErrors';
import { errorText } from '../shared/errorText';

const openFolder = 'Open the Folder';
const copyExport = 'Copy the Export Command';

/** A request's params as arguments: none for a method that takes none. */
export type RequestArgs<M extends keyof ClientRequests> = [ClientRequests[M][0]] extends [void] ? [] : [params: ClientRequests[M][0]];

/** What the status bar and commands show about the sidecar. */
export type SidecarState =
	| { kind: 'starting' }
	| { kind: 'running' }
	| { kind: 'stopped'; error?: string };

/**
 * The extension's one client of the sidecar: owns the process and the
 * LanguageClient talking to it over stdio, and is the one way to send it a
 * request (`request`), hear its notifications (`onNotification`) and answer
 * its requests (`onRequest`). A restart (command or setting change) builds a
 * fresh client so the `plue.sidecar.path` setting is read again; listeners
 * carry over to it.
 */
export class Sidecar implements vscode.Disposable {
	private _client: LanguageClient | undefined;
	private _process: ChildProcess | undefined;
	private _state: SidecarState = { kind: 'stopped' };
	private readonly _onDidChangeState = new vscode.EventEmitter<SidecarState>();
	readonly onDidChangeState = this._onDidChangeState.event;
	private readonly _onDidStart = new vscode.EventEmitter<void>();
	/** Fires each time a (new) sidecar is running, after the listeners are registered on it. */
	readonly onDidStart = this._onDidStart.event;
	private readonly _handlers = new SidecarHandlers();
	/** The client whose store-too-new refusal was told (once per sidecar). */
	private _storeNewerToldTo: LanguageClient | undefined;
	/** The current client's: it tells its sidecar's crash once. */
	private _crashPolicy: CrashPolicy | undefined;
	/** Crashes since the last start asked for: a crash starts the next sidecar, the sixth in 3 minutes does not. */
	private readonly _crashes = new CrashCount();
	/** The start, stop or restart under way: the next waits for it. */
	private _turn: Promise<void> = Promise.resolve();
	/** Every sidecar this window spawned that has not exited: at most the current client's may run on. */
	private readonly _children = new Set<ChildProcess>();

	constructor(
		private readonly _extensionPath: string,
		private readonly _output: vscode.LogOutputChannel,
		private readonly _trace: vscode.LogOutputChannel,
		/** The key an earlier version kept in SecretStorage: it opens (and hands over) a vault it wrote. */
		private readonly _vaultKey: string | undefined,
	) { }

	get client(): LanguageClient | undefined {
		return this._client;
	}

	/** The running sidecar's process id, if one has been spawned. */
	get pid(): number | undefined {
		const child = this._process;
		return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
	}

	get state(): SidecarState {
		return this._state;
	}

	/** Starts the sidecar (running, or failed); waits for a start, stop or restart already under way (one at a time). */
	start(): Promise<void> {
		return this.inTurn(() => this.startNow()).then(start => start.whole);
	}

	/** Stops the running sidecar and starts a new one, after whatever start or stop is under way; crashes count from none. */
	restart(): Promise<void> {
		return this.inTurn(async () => {
			this._crashes.reset();
			await this.stopNow();
			return this.startNow();
		}).then(start => start.whole);
	}

	stop(): Promise<void> {
		return this.inTurn(() => this.stopNow());
	}

	/**
	 * Runs one start, stop or restart after the one before it has ended: a restart asked for while a sidecar starts
	 * (the command twice, a trust grant at activation) would otherwise start two clients, and one sidecar would run on
	 * with no owner.
	 */
	private inTurn<T>(work: () => Promise<T>): Promise<T> {
		const next = this._turn.then(work);
		this._turn = next.then(() => undefined, () => undefined);
		return next;
	}

	/**
	 * Starts a sidecar with a new client. Its turn ends once its process runs (or its start failed), not when it has
	 * answered: a sidecar that hangs in its start is then ended by the next restart. `whole` is the start to its end.
	 */
	private async startNow(): Promise<{ whole: Promise<void> }> {
		// Resolved before the client exists: a missing runtime is told once, with its buttons, not as a connection error.
		const command = await this.resolveCommand();
		if (!command) {
			return { whole: Promise.resolve() };
		}
		let spawned!: () => void;
		const running = new Promise<void>(resolve => { spawned = resolve; });
		const client = this.createClient(command, spawned);
		const policy = this._crashPolicy;
		this._client = client;
		const whole = client.start().catch(error => this.startFailed(client, policy, error));
		await Promise.race([running, whole]);
		return { whole };
	}

	private startFailed(client: LanguageClient, policy: CrashPolicy | undefined, error: unknown): void {
		// A sidecar that died while it started is a crash, told (and started again) once by its exit or close.
		if (client !== this._client || policy?.crashed || isGoneWhileStarting(error)) {
			return;
		}
		// It refused: the client ends its process, which is no crash to start again after.
		policy?.stopping();
		const message = errorText(error);
		this._output.error(`Sidecar failed to start: ${message}`);
		this.setState({ kind: 'stopped', error: message });
		void vscode.window.showErrorMessage(`Plue: the sidecar did not start: ${message}`, 'Show Output').then(choice => {
			if (choice === 'Show Output') {
				this._output.show();
			}
		});
	}

	/**
	 * `client`'s sidecar crashed: the next starts with a new client (after any start or stop under way), up to 5 times
	 * in 3 minutes; then it gives up. Its words for the output.
	 */
	private onCrash(client: LanguageClient): string {
		if (client !== this._client) {
			return 'A sidecar this window no longer uses exited.';
		}
		if (!this._crashes.restartAllowed()) {
			this.onGaveUp();
			return 'The sidecar exited again: it crashed 5 times in 3 minutes and is not started again.';
		}
		void this.inTurn(async () => {
			if (client !== this._client) {
				return;
			}
			this._client = undefined;
			this._handlers.detach(client);
			// Its client is stopped already (or failed its start); nothing of it runs on.
			await client.dispose(0).catch(() => undefined);
			return this.startNow();
		});
		return `The sidecar exited; starting it again (crash ${this._crashes.recent} in 3 minutes).`;
	}

	private async stopNow(): Promise<void> {
		const client = this._client;
		const child = this._process;
		this._client = undefined;
		if (!client) {
			return;
		}
		// Its close from here on is ours: not a crash to restart after, nor one that counts.
		this._crashPolicy?.stopping();
		this._handlers.detach(client);
		// dispose() sends shutdown/exit and kills the process if it lingers; a client that is not running (its sidecar
		// still starting, or restarting after a crash) refuses, and its process is then ended here.
		await client.dispose(2000).catch((error: unknown) => this._output.warn(`Stopping the sidecar: ${String(error)}`));
		if (child && isRunning(child)) {
			this._output.info(`Ending the sidecar the client could not stop (pid ${child.pid}).`);
		}
		// Its sidecar, and any other this window spawned that still runs: none is owned once the client is gone.
		await this.endChildren();
		this.setState({ kind: 'stopped' });
	}

	status(): Promise<StatusResult> {
		return this.request('plue/status');
	}

	/** Sends a request to the running sidecar; rejects with a readable message when it is not running. */
	async request<M extends keyof ClientRequests>(method: M, ...params: RequestArgs<M>): Promise<ClientRequests[M][1]> {
		const client = this._client;
		if (!client || this._state.kind !== 'running') {
			throw new SidecarNotRunning(this.notRunningMessage());
		}
		// A method without params is sent without the member, as the sidecar's handlers of those expect.
		const sent: Promise<ClientRequests[M][1]> = params.length === 0 ? client.sendRequest(method) : client.sendRequest(method, params[0]);
		return sent.catch((error: unknown) => {
			this.tellStoreNewer(client, error);
			throw error;
		});
	}

	/**
	 * A store a newer Plue wrote is refused by the sidecar (nothing read or changed): told once per sidecar with its
	 * folder and the export to run with the newer Plue; the requests that need the store fail with the same words.
	 */
	private tellStoreNewer(client: LanguageClient, error: unknown): void {
		const notice = storeNewerNotice(error);
		if (!notice || this._storeNewerToldTo === client) {
			return;
		}
		this._storeNewerToldTo = client;
		this._output.error(notice.message);
		void vscode.window.showErrorMessage(`Plue: ${notice.message}`, { modal: false }, openFolder, copyExport).then(async choice => {
			if (choice === openFolder) {
				await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(notice.store));
			} else if (choice === copyExport) {
				await vscode.env.clipboard.writeText(notice.exportCommand);
				void vscode.window.showInformationMessage(`Plue: copied "${notice.exportCommand}". Run it where the newer Plue is installed, then use Import Chats... in this one.`);
			}
		});
	}

	/** Sends a request that `token` withdraws (`$/cancelRequest`): for work the user or another extension may stop. */
	async requestCancellable<M extends keyof ClientRequests>(method: M, params: ClientRequests[M][0], token: vscode.CancellationToken): Promise<ClientRequests[M][1]> {
		const client = this._client;
		if (!client || this._state.kind !== 'running') {
			throw new SidecarNotRunning(this.notRunningMessage());
		}
		return client.sendRequest(method, params, token);
	}

	/** Sends a notification to the running sidecar (the parts of an answer it asked for); dropped when none runs. */
	async notify<M extends keyof ClientNotifications>(method: M, params: ClientNotifications[M]): Promise<void> {
		await this._client?.sendNotification(method, params);
	}

	/** Calls `listener` with each `method` notification, from this sidecar and every one started later. */
	onNotification<M extends keyof SidecarNotifications>(method: M, listener: (params: SidecarNotifications[M]) => void): vscode.Disposable {
		return this._handlers.onNotification(method, listener);
	}

	/** Sets who answers the sidecar's `method` requests (one handler per method). */
	onRequest<M extends keyof SidecarRequests>(method: M, handler: SidecarRequestHandler<M>): void {
		this._handlers.onRequest(method, handler);
	}

	notRunningMessage(): string {
		const reason = this._state.kind === 'stopped' && this._state.error ? `: ${this._state.error}` : ` (${this._state.kind})`;
		return `The Plue sidecar is not running${reason}. See the "Plue" output, or run "Plue: Restart Sidecar".`;
	}

	dispose(): void {
		void this.stop();
		this._handlers.dispose();
		this._onDidChangeState.dispose();
		this._onDidStart.dispose();
	}

	private createClient(command: SidecarCommand, spawned: () => void): LanguageClient {
		const policy = this._crashPolicy = new CrashPolicy(() => this.onCrash(client));
		const clientOptions: LanguageClientOptions = {
			documentSelector: [],
			outputChannel: this._output,
			traceOutputChannel: this._trace,
			revealOutputChannelOn: RevealOutputChannelOn.Never,
			initializationOptions: () => this.initializationOptions(),
			// A failed initialize is told by `startNow` (or is a crash), not by the client's bare toast.
			initializationFailedHandler: () => false,
			errorHandler: policy,
			// The sidecar logs to stderr with its own levels; show its lines as they are.
			stdioOptions: {
				stdout: () => undefined,
				stderr: (input, channel) => {
					readline.createInterface({ input, crlfDelay: Infinity }).on('line', line => channel.info(line));
				},
			},
		};
		const client: LanguageClient = new LanguageClient('plue', 'Plue', () => this.spawnSidecar(command, client, policy, spawned), clientOptions);
		client.onDidChangeState(e => {
			if (client !== this._client) {
				return;
			}
			if (e.newState === State.Starting) {
				this.setState({ kind: 'starting' });
			} else if (e.newState === State.Running) {
				this._handlers.attach(client);
				this.setState({ kind: 'running' });
				this._onDidStart.fire();
			} else {
				this.setState({ kind: 'stopped', error: this._state.kind === 'stopped' ? this._state.error : 'the sidecar exited' });
			}
		});
		return client;
	}

	/** The command to run, or undefined (the state says why, and the user is told) when there is none. */
	private async resolveCommand(): Promise<SidecarCommand | undefined> {
		const setting = vscode.workspace.getConfiguration('plue').get<string>('sidecar.path', '');
		const located = locateSidecar(this._extensionPath, setting);
		if (typeof located === 'string') {
			this.cannotStart(located);
			void vscode.window.showErrorMessage(located);
			return undefined;
		}
		const dotnet = located.needsDotnet ? await findDotnet(this._output) : undefined;
		if (located.needsDotnet && !dotnet) {
			this.cannotStart(missingDotnetMessage);
			void offerDotnet(() => void this.restart());
			return undefined;
		}
		return sidecarCommand(located, dotnet);
	}

	private cannotStart(reason: string): void {
		this._output.error(reason);
		this.setState({ kind: 'stopped', error: reason });
	}

	/**
	 * Spawns `client`'s sidecar (one per client: after a crash the next has a client of its own). A client stopped
	 * while its sidecar was being spawned gets none: the process would run on with no one to stop it.
	 */
	private async spawnSidecar(resolved: SidecarCommand, client: LanguageClient, policy: CrashPolicy, spawned: () => void): Promise<ChildProcess> {
		this._output.info(`Starting the ${resolved.source} sidecar: ${[resolved.command, ...resolved.args].join(' ')}`);
		const child = spawn(resolved.command, resolved.args, { stdio: 'pipe', windowsHide: true, env: { ...process.env, ...claudeCodeLimits() } });
		this._children.add(child);
		child.once('exit', () => this._children.delete(child));
		try {
			// 'error' (e.g. ENOENT) rejects this, so a bad path fails fast with its reason.
			await once(child, 'spawn');
		} catch (error) {
			this._children.delete(child);
			throw error;
		}
		if (client !== this._client) {
			this._output.info(`Ending the sidecar started for a client that was stopped meanwhile (pid ${child.pid}).`);
			await endProcess(child);
			throw new Error('The sidecar was stopped while it started.');
		}
		// Its exit is its crash when no one asked for it, however its client saw it (or did not: a client stopping itself
		// after a failed initialize hears no close).
		child.once('exit', (code, signal) => {
			const said = policy.crash();
			if (said) {
				this._output.warn(`The sidecar ended (${signal ?? `exit code ${code}`}). ${said}`);
			}
		});
		// One sidecar a window: an earlier one of this client's still running (its crash seen on its pipes before its
		// exit, or a restart that overtook it) is no one's now. Not waited for: this one's start goes on meanwhile.
		void this.endChildren(child);
		this._process = child;
		spawned();
		return child;
	}

	/** Ends each sidecar this window spawned that still runs, but `keep`. */
	private async endChildren(keep?: ChildProcess): Promise<void> {
		const strays = [...this._children].filter(child => child !== keep && isRunning(child));
		for (const child of strays) {
			if (child !== this._process) {
				this._output.info(`Ending a sidecar this window no longer owns (pid ${child.pid}).`);
			}
		}
		await Promise.all(strays.map(endProcess));
	}

	private initializationOptions(): InitializationOptions {
		return {
			plueHome: process.env.PLUE_HOME || undefined,
			vaultKey: this._vaultKey,
			workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath),
			trusted: vscode.workspace.isTrusted,
		};
	}

	private onGaveUp(): void {
		const message = 'The Plue sidecar crashed 5 times in 3 minutes and was not restarted. See the "Plue" output.';
		void this.endChildren();
		this.setState({ kind: 'stopped', error: 'it crashed repeatedly' });
		void vscode.window.showErrorMessage(message, 'Restart', 'Show Output').then(choice => {
			if (choice === 'Restart') {
				void this.restart();
			} else if (choice === 'Show Output') {
				this._output.show();
			}
		});
	}

	private setState(state: SidecarState): void {
		this._state = state;
		this._onDidChangeState.fire(state);
	}
}

function isRunning(child: ChildProcess): boolean {
	return child.exitCode === null && child.signalCode === null;
}

/** Ends `child`: SIGTERM lets it close its store; SIGKILL after 2 s if it has not gone. */
async function endProcess(child: ChildProcess): Promise<void> {
	if (!isRunning(child)) {
		return;
	}
	const exited = once(child, 'exit');
	child.kill('SIGTERM');
	const gone = await Promise.race([exited.then(() => true), new Promise<boolean>(resolve => setTimeout(() => resolve(false), 2000))]);
	if (!gone) {
		child.kill('SIGKILL');
	}
}

/** The Claude Code process limits from the settings, as the sidecar reads them (its environment). */
function claudeCodeLimits(): Record<string, string> {
	const settings = vscode.workspace.getConfiguration('plue.claudeCode');
	return {
		PLUE_CLAUDE_IDLE_SECONDS: String(settings.get<number>('idleTimeoutSeconds', 600)),
		PLUE_CLAUDE_MAX_IDLE: String(settings.get<number>('maxIdleProcesses', 3)),
	};
}
