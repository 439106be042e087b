import * as vscode from 'vscode';
import { isWebviewMessage, PanelWebviewState } from '../shared/panelMessages';
import type { HostMessage } from '../shared/panelMessages';
import type { PanelController } from './panelActions';
import { makeNonce, PanelKind, panelHtml } from './panelHtml';

/** What one kind of panel (a chat's, a task's) brings to the shared host. */
export interface PanelKindSpec {
	kind: PanelKind;
	viewType: string;
	extensionUri: vscode.Uri;
	/** The title to show until the session or task names itself. */
	title(id: string): string;
	/** Calls `retitle` whenever the session's or task's title changes. */
	watchTitle(id: string, retitle: (title: string) => void): vscode.Disposable;
	/** The controller behind one panel's webview. */
	controller(id: string, webview: vscode.Webview): PanelController;
}

/** What a panel shows (a session, a task): its id and title. */
interface Titled {
	id: string;
	title: string;
}

/** A kind's `title` and `watchTitle`: its items' titles from `store` as `changes` tell them, `fallback` until one is known. */
export function titledBy(store: { get(id: string): Titled | undefined }, changes: vscode.Event<Titled>, fallback: string): Pick<PanelKindSpec, 'title' | 'watchTitle'> {
	return {
		title: id => store.get(id)?.title ?? fallback,
		watchTitle: (id, retitle) => changes(item => {
			if (item.id === id) {
				retitle(item.title);
			}
		}),
	};
}

/**
 * One chat session, or one agent task's transcript, in a WebviewPanel in the
 * editor area: the same webview, told its kind, with the kind's controller
 * behind it. At most one panel per session or task; VS Code restores open
 * panels after a reload through the serializers (the webview keeps the id
 * with `setState`).
 */
export class Panel implements vscode.Disposable {
	private static readonly s_panels = new Map<string, Panel>();
	private static s_lastActive: Panel | undefined;
	private static readonly s_onDidChangeActive = new vscode.EventEmitter<Panel | undefined>();
	/** Fires when another chat panel becomes the last active one, or it closes. */
	static readonly onDidChangeActive = Panel.s_onDidChangeActive.event;

	readonly kind: PanelKind;
	private readonly _controller: PanelController;
	private readonly _subscriptions: vscode.Disposable[] = [];
	/** Set while a visible page has not said `ready`: it renders the page again when it fires. */
	private _watchdog: ReturnType<typeof setTimeout> | undefined;
	private _renders = 0;
	private readonly _spec: PanelKindSpec;

	/** Opens (or reveals) the panel of a session or task. */
	static show(spec: PanelKindSpec, id: string): Panel {
		const existing = Panel.s_panels.get(id);
		if (existing) {
			existing.panel.reveal();
			return existing;
		}
		const panel = vscode.window.createWebviewPanel(spec.viewType, spec.title(id), vscode.ViewColumn.Active, webviewOptions(spec.extensionUri));
		return new Panel(spec, panel, id);
	}

	/** Registers a kind's serializer: it restores the panels VS Code kept across a reload. */
	static register(spec: PanelKindSpec): vscode.Disposable {
		return vscode.window.registerWebviewPanelSerializer(spec.viewType, Panel.serializer(spec));
	}

	private static serializer(spec: PanelKindSpec): vscode.WebviewPanelSerializer<PanelWebviewState> {
		return {
			deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: PanelWebviewState | undefined) => {
				if (!state?.sessionId) {
					panel.dispose();
					return Promise.resolve();
				}
				panel.webview.options = webviewOptions(spec.extensionUri);
				new Panel(spec, panel, state.sessionId);
				return Promise.resolve();
			},
		};
	}

	/** The open panel of a session or task. */
	static get(id: string): Panel | undefined {
		return Panel.s_panels.get(id);
	}

	/** The chat panel used last (it may not have focus: the user may be in an editor). Task panels are never it. */
	static get lastActive(): Panel | undefined {
		return Panel.s_lastActive;
	}

	/** `id` is a session's, or a task's: the sidecar streams a task's transcript under its id. */
	/** `replacing`: this panel takes the place of one whose page never loaded (see `watch`). */
	private constructor(spec: PanelKindSpec, readonly panel: vscode.WebviewPanel, readonly id: string, private readonly _replacing = false) {
		this.kind = spec.kind;
		this._spec = spec;
		Panel.s_panels.set(id, this);
		panel.iconPath = vscode.Uri.joinPath(spec.extensionUri, 'media', 'plue.svg');
		this._controller = spec.controller(id, panel.webview);
		const render = (): void => {
			this._renders++;
			panel.webview.html = html(panel.webview, spec.extensionUri, id, spec.kind);
			this.watch(render);
		};
		this._subscriptions.push(
			this._controller,
			panel.webview.onDidReceiveMessage((message: unknown) => {
				if (!isWebviewMessage(message)) {
					return;
				}
				if (message.type === 'ready') {
					this.loaded();
				}
				if (message.type === 'assetsFailed') {
					render();
					return;
				}
				void this._controller.handle(message);
			}),
			panel.onDidChangeViewState(e => {
				if (e.webviewPanel.active) {
					this.setLastActive();
				}
				if (this._watchdog !== undefined) {
					this.watch(render);
				}
			}),
			spec.watchTitle(id, title => {
				if (title) {
					panel.title = title;
				}
			}),
			panel.onDidDispose(() => this.dispose()),
		);
		render();
		this.setLastActive();
	}

	/**
	 * A page whose script failed to load never says `ready` (seen after Reload Window with two panels on screen:
	 * the resource host was not there yet). While the panel is visible, a page silent for `readyWaitMs` is rendered
	 * again, a few times at most; a hidden panel may not load until shown, so its wait starts when it is. A restored
	 * panel may stay blank however often its page is set (its frame never loaded): after two silent renders it is
	 * replaced, once, by a new panel in the same place; the chat itself is the sidecar's, so nothing is lost.
	 */
	private watch(render: () => void): void {
		clearTimeout(this._watchdog);
		this._watchdog = setTimeout(() => {
			if (!this.panel.visible) {
				return;
			}
			if (this._renders >= rendersBeforeReplacing && !this._replacing) {
				this.replace();
			} else if (this._renders < maxRenders) {
				render();
			}
		}, readyWaitMs);
	}

	private replace(): void {
		const column = this.panel.viewColumn ?? vscode.ViewColumn.Active;
		this.dispose();
		const panel = vscode.window.createWebviewPanel(this._spec.viewType, this._spec.title(this.id), { viewColumn: column, preserveFocus: true },
			webviewOptions(this._spec.extensionUri));
		new Panel(this._spec, panel, this.id, true);
	}

	private loaded(): void {
		clearTimeout(this._watchdog);
		this._watchdog = undefined;
	}

	post(message: HostMessage): void {
		this._controller.post(message);
	}

	dispose(): void {
		if (Panel.s_panels.get(this.id) !== this) {
			return;
		}
		Panel.s_panels.delete(this.id);
		this.loaded();
		if (Panel.s_lastActive === this) {
			Panel.s_lastActive = undefined;
			Panel.s_onDidChangeActive.fire(undefined);
		}
		for (const d of this._subscriptions) {
			d.dispose();
		}
		this.panel.dispose();
	}

	private setLastActive(): void {
		// Add Selection and the cost status bar follow chats only.
		if (this.kind === 'chat' && Panel.s_lastActive !== this) {
			Panel.s_lastActive = this;
			Panel.s_onDidChangeActive.fire(this);
		}
	}
}

/** The options of a chat or task page's webview, in a panel or in a view. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
	return {
		enableScripts: true,
		retainContextWhenHidden: true,
		localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'out', 'webview')],
	};
}

/** How long a visible page may take to say `ready` before it is rendered again, and how many renders at most. */
const readyWaitMs = 8000;
const maxRenders = 4;
const rendersBeforeReplacing = 2;

/** The page of a session's or task's transcript for `webview` (a panel's or a view's). */
export function html(webview: vscode.Webview, extensionUri: vscode.Uri, id: string, kind: PanelKind): string {
	const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'out', 'webview', name)).toString();
	return panelHtml({ cspSource: webview.cspSource, nonce: makeNonce(), scriptUri: asset('chat.js'), styleUri: asset('chat.css'), sessionId: id, kind });
}
