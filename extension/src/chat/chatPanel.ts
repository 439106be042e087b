import * as vscode from 'vscode';
import { ChatController, ChatDeps } from './chatController';
import { chatHtml, makeNonce } from './chatHtml';
import { ChatWebviewState, HostMessage, isWebviewMessage } from './messages';

/**
 * One chat session in a WebviewPanel in the editor area. At most one panel per
 * session; VS Code restores open panels after a reload through the serializer
 * (the webview keeps the session id with `setState`).
 */
export class ChatPanel implements vscode.Disposable {
	static readonly viewType = 'plue.chat';
	private static readonly s_panels = new Map<string, ChatPanel>();
	private static s_lastActive: ChatPanel | undefined;
	private static readonly s_onDidChangeActive = new vscode.EventEmitter<ChatPanel | undefined>();
	/** Fires when another chat panel becomes the last active one, or it closes. */
	static readonly onDidChangeActive = ChatPanel.s_onDidChangeActive.event;

	private readonly _controller: ChatController;
	private readonly _subscriptions: vscode.Disposable[] = [];

	/** Opens (or reveals) the panel of a session. */
	static show(deps: ChatDeps, sessionId: string): ChatPanel {
		const existing = ChatPanel.s_panels.get(sessionId);
		if (existing) {
			existing.panel.reveal();
			return existing;
		}
		const title = deps.sessions.get(sessionId)?.title ?? 'Chat';
		const panel = vscode.window.createWebviewPanel(ChatPanel.viewType, title, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
		return new ChatPanel(deps, panel, sessionId);
	}

	/** The serializer: restores a panel VS Code kept across a reload. */
	static serializer(deps: ChatDeps): vscode.WebviewPanelSerializer<ChatWebviewState> {
		return {
			deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: ChatWebviewState | undefined) => {
				if (!state?.sessionId) {
					panel.dispose();
					return Promise.resolve();
				}
				panel.webview.options = webviewOptions(deps.extensionUri);
				new ChatPanel(deps, panel, state.sessionId);
				return Promise.resolve();
			},
		};
	}

	static get(sessionId: string): ChatPanel | undefined {
		return ChatPanel.s_panels.get(sessionId);
	}

	/** The chat panel used last (it may not have focus: the user may be in an editor). */
	static get lastActive(): ChatPanel | undefined {
		return ChatPanel.s_lastActive;
	}

	private constructor(deps: ChatDeps, readonly panel: vscode.WebviewPanel, readonly sessionId: string) {
		ChatPanel.s_panels.set(sessionId, this);
		panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'plue.svg');
		panel.webview.html = html(panel.webview, deps.extensionUri, sessionId);
		this._controller = new ChatController(sessionId, panel.webview, deps);
		this._subscriptions.push(
			this._controller,
			panel.webview.onDidReceiveMessage((message: unknown) => {
				if (isWebviewMessage(message)) {
					void this._controller.handle(message);
				}
			}),
			panel.onDidChangeViewState(e => {
				if (e.webviewPanel.active) {
					this.setLastActive();
				}
			}),
			deps.sessions.onDidChangeSession(session => {
				if (session.id === sessionId && session.title) {
					panel.title = session.title;
				}
			}),
			panel.onDidDispose(() => this.dispose()),
		);
		this.setLastActive();
	}

	post(message: HostMessage): void {
		this._controller.post(message);
	}

	dispose(): void {
		if (ChatPanel.s_panels.get(this.sessionId) !== this) {
			return;
		}
		ChatPanel.s_panels.delete(this.sessionId);
		if (ChatPanel.s_lastActive === this) {
			ChatPanel.s_lastActive = undefined;
			ChatPanel.s_onDidChangeActive.fire(undefined);
		}
		for (const d of this._subscriptions) {
			d.dispose();
		}
		this.panel.dispose();
	}

	private setLastActive(): void {
		if (ChatPanel.s_lastActive !== this) {
			ChatPanel.s_lastActive = this;
			ChatPanel.s_onDidChangeActive.fire(this);
		}
	}
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
	return {
		enableScripts: true,
		retainContextWhenHidden: true,
		localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'out', 'webview')],
	};
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri, sessionId: string): string {
	const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'out', 'webview', name)).toString();
	return chatHtml({ cspSource: webview.cspSource, nonce: makeNonce(), scriptUri: asset('chat.js'), styleUri: asset('chat.css'), sessionId });
}
