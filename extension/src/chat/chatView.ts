import * as vscode from 'vscode';
import { html, Panel, webviewOptions } from '../panel/panel';
import { isWebviewMessage } from '../shared/panelMessages';
import { ChatController, ChatDeps } from './chatController';

/**
 * A chat in the side bar: the `plue.chatView` webview view in the Plue container (drag it to the secondary side
 * bar to keep it beside the editor). It shows one session with the same page and controller as a chat's editor
 * tab; a chat moves between the two (Move Chat to Side Bar closes its tab, Move Chat to Editor empties the
 * view). Which chat it shows is kept per workspace.
 */
export class ChatView implements vscode.WebviewViewProvider, vscode.Disposable {
	static readonly viewId = 'plue.chatView';
	private static readonly stateKey = 'plue.chatView.session';
	private _view: vscode.WebviewView | undefined;
	private _controller: ChatController | undefined;
	private _viewSubscriptions: vscode.Disposable[] = [];
	private readonly _subscriptions: vscode.Disposable[];

	constructor(private readonly _deps: ChatDeps, private readonly _state: vscode.Memento) {
		this._subscriptions = [
			vscode.window.registerWebviewViewProvider(ChatView.viewId, this, { webviewOptions: { retainContextWhenHidden: true } }),
			_deps.sessions.onDidChangeSession(session => {
				if (session.id === this.sessionId && this._view) {
					this._view.description = session.title;
				}
			}),
		];
	}

	/** The session the view shows (or will, once opened). */
	get sessionId(): string | undefined {
		return this._state.get<string>(ChatView.stateKey);
	}

	resolveWebviewView(view: vscode.WebviewView): void {
		this._view = view;
		view.webview.options = { ...webviewOptions(this._deps.extensionUri), enableCommandUris: ['plue.chat.newInSideBar'] };
		view.onDidDispose(() => {
			this._view = undefined;
			this.unbind();
		});
		this.render();
	}

	/** Shows a session here (its editor tab, if open, closes: the chat moves) and brings the view forward. */
	async show(sessionId: string): Promise<void> {
		Panel.get(sessionId)?.dispose();
		await this._state.update(ChatView.stateKey, sessionId);
		this.render();
		await vscode.commands.executeCommand(`${ChatView.viewId}.focus`);
	}

	/** Forgets the session (it moves to an editor tab, or was deleted): the view offers a new chat. */
	async clear(): Promise<void> {
		await this._state.update(ChatView.stateKey, undefined);
		this.render();
	}

	/** Posts to the side bar's chat (Add Selection, Focus Chat); false when it shows none. */
	post(message: Parameters<ChatController['post']>[0]): boolean {
		if (!this._controller) {
			return false;
		}
		this._controller.post(message);
		return true;
	}

	private render(): void {
		const view = this._view;
		if (!view) {
			return;
		}
		this.unbind();
		const id = this.sessionId;
		if (!id) {
			view.description = undefined;
			view.webview.html = emptyPage();
			return;
		}
		const controller = new ChatController(id, view.webview, this._deps);
		this._controller = controller;
		view.description = this._deps.sessions.get(id)?.title;
		this._viewSubscriptions = [
			controller,
			view.webview.onDidReceiveMessage((message: unknown) => {
				if (!isWebviewMessage(message)) {
					return;
				}
				if (message.type === 'assetsFailed') {
					view.webview.html = html(view.webview, this._deps.extensionUri, id, 'chat');
					return;
				}
				void controller.handle(message);
			}),
		];
		view.webview.html = html(view.webview, this._deps.extensionUri, id, 'chat');
	}

	private unbind(): void {
		for (const d of this._viewSubscriptions) {
			d.dispose();
		}
		this._viewSubscriptions = [];
		this._controller = undefined;
	}

	dispose(): void {
		this.unbind();
		for (const d of this._subscriptions) {
			d.dispose();
		}
	}
}

/** What the view says before it has a chat: how to start one (command links; no script runs). */
function emptyPage(): string {
	return `<!DOCTYPE html>
<html lang="en">
<head>
	<meta charset="UTF-8">
	<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
	<style>body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 8px 12px; line-height: 1.5; } a { color: var(--vscode-textLink-foreground); }</style>
</head>
<body>
	<p>No chat in the side bar yet.</p>
	<p><a href="command:plue.chat.newInSideBar">Start a chat here</a>, or move an open chat here with <em>Move Chat to Side Bar</em> on its tab.</p>
</body>
</html>`;
}
