import * as vscode from 'vscode';
import { makeNonce, webviewPage } from '../panel/panelHtml';
import { isSettingsWebviewMessage, SettingsHostMessage, SettingsWebviewMessage, SettingsWebviewState } from '../shared/settingsMessages';
import { FormSeed, parseTargetKey, SettingsTarget, targetKey } from './formModel';

/** What answers one settings panel's webview: the home's or a form's controller. */
export interface SettingsController extends vscode.Disposable {
	/** Never rejects: failures are shown in the panel. */
	handle(message: SettingsWebviewMessage): Promise<void>;
	/** Its panel was opened again: a form that has not loaded (its load failed) tries again. */
	reopened?(): void;
}

/** Makes the controller of a panel; `post` reaches its webview, `panel` is the panel itself; `seed` is what it shows first. */
export type ControllerFactory = (target: SettingsTarget, panel: SettingsPanel, seed?: FormSeed) => SettingsController;

const viewType = 'plue.settings';

/**
 * The settings home, or the form of one record (or of a record or task to be made), in a WebviewPanel: one panel per
 * target, revealed when opened again, restored after a reload (the webview keeps its target with `setState`).
 */
export class SettingsPanel implements vscode.Disposable {
	private static readonly s_panels = new Map<string, SettingsPanel>();
	private _controller: SettingsController;
	private _key: string;
	private readonly _subscriptions: vscode.Disposable[] = [];
	private _disposed = false;

	static show(extensionUri: vscode.Uri, target: SettingsTarget, factory: ControllerFactory): SettingsPanel {
		const existing = SettingsPanel.s_panels.get(targetKey(target));
		if (existing) {
			existing.panel.reveal();
			// A new record started with other values (another provider picked) starts over.
			if (target.kind === 'new' && target.values) {
				existing.retarget(target);
			} else {
				existing._controller.reopened?.();
			}
			return existing;
		}
		const panel = vscode.window.createWebviewPanel(viewType, panelTitle(target), vscode.ViewColumn.Active, webviewOptions(extensionUri));
		return new SettingsPanel(extensionUri, panel, target, factory);
	}

	static register(extensionUri: vscode.Uri, factory: ControllerFactory): vscode.Disposable {
		return vscode.window.registerWebviewPanelSerializer(viewType, {
			deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: SettingsWebviewState | undefined) => {
				const target = state?.target ? parseTargetKey(state.target) : undefined;
				if (!target || SettingsPanel.s_panels.has(state?.target ?? '')) {
					panel.dispose();
				} else {
					panel.webview.options = webviewOptions(extensionUri);
					new SettingsPanel(extensionUri, panel, target, factory);
				}
				return Promise.resolve();
			},
		});
	}

	/** The open panel of a target. */
	static get(target: SettingsTarget): SettingsPanel | undefined {
		return SettingsPanel.s_panels.get(targetKey(target));
	}

	/** Every open panel (the home and the forms refresh when templates or records change). */
	static all(): SettingsPanel[] {
		return [...SettingsPanel.s_panels.values()];
	}

	private constructor(private readonly _extensionUri: vscode.Uri, readonly panel: vscode.WebviewPanel, public target: SettingsTarget, private readonly _factory: ControllerFactory) {
		this._key = targetKey(target);
		SettingsPanel.s_panels.set(this._key, this);
		panel.iconPath = vscode.Uri.joinPath(_extensionUri, 'media', 'plue.svg');
		this._controller = _factory(target, this);
		this._subscriptions.push(
			panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
			panel.onDidDispose(() => this.dispose()),
		);
		this.render();
	}

	/** A message from the webview; resolves when it is handled. */
	receive(message: unknown): Promise<void> {
		if (!isSettingsWebviewMessage(message)) {
			return Promise.resolve();
		}
		if (message.type === 'assetsFailed') {
			this.render();
			return Promise.resolve();
		}
		return this._controller.handle(message);
	}

	/** Nothing once the panel is closed: a request that closed it (Undo of a creation) still ends with `busy: false`. */
	post(message: SettingsHostMessage): void {
		if (this._disposed) {
			return;
		}
		void this.panel.webview.postMessage(message);
	}

	/** Shows another target in this panel: a new record once it is created, drawn from `seed` (no request) when given. */
	retarget(target: SettingsTarget, seed?: FormSeed): void {
		SettingsPanel.s_panels.delete(this._key);
		this.target = target;
		this._key = targetKey(target);
		SettingsPanel.s_panels.set(this._key, this);
		this._controller.dispose();
		this._controller = this._factory(target, this, seed);
		this.render();
	}

	dispose(): void {
		if (SettingsPanel.s_panels.get(this._key) !== this) {
			return;
		}
		SettingsPanel.s_panels.delete(this._key);
		this._disposed = true;
		this._controller.dispose();
		for (const d of this._subscriptions) {
			d.dispose();
		}
		this.panel.dispose();
	}

	private render(): void {
		const webview = this.panel.webview;
		const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(this._extensionUri, 'out', 'webview', name)).toString();
		webview.html = webviewPage({
			cspSource: webview.cspSource, nonce: makeNonce(), scriptUri: asset('settings.js'), styleUri: asset('settings.css'),
			title: 'Plue Settings', body: { target: this._key },
		});
	}
}

/** A panel's name before its form has loaded: the record's title when its opener knew it. */
function panelTitle(target: SettingsTarget): string {
	if (target.kind === 'home') {
		return 'Plue Settings';
	}
	return target.kind === 'record' && target.title ? `${target.title} Settings` : 'Settings';
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
	return {
		enableScripts: true,
		retainContextWhenHidden: true,
		localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'out', 'webview')],
	};
}
