import * as vscode from 'vscode';
import { TaskController } from '../tasks/taskController';
import { ChatController, ChatDeps } from './chatController';
import { chatHtml, makeNonce, PanelKind } from './chatHtml';
import { ChatWebviewState, HostMessage, isWebviewMessage } from './messages';
import type { PanelController } from './panelActions';

/**
 * One chat session, or one agent task's transcript, in a WebviewPanel in the
 * editor area: the same webview, told its kind, with a ChatController or a
 * TaskController behind it. At most one panel per session or task; VS Code
 * restores open panels after a reload through the serializers (the webview
 * keeps the id with `setState`).
 */
export class ChatPanel implements vscode.Disposable {
	static readonly viewType = 'plue.chat';
	static readonly taskViewType = 'plue.task';
	private static readonly s_panels = new Map<string, ChatPanel>();
	private static s_lastActive: ChatPanel | undefined;
	private static readonly s_onDidChangeActive = new vscode.EventEmitter<ChatPanel | undefined>();
	/** Fires when another chat panel becomes the last active one, or it closes. */
	static readonly onDidChangeActive = ChatPanel.s_onDidChangeActive.event;

	private readonly _controller: PanelController;
	private readonly _subscriptions: vscode.Disposable[] = [];

	/** Opens (or reveals) the panel of a session. */
	static show(deps: ChatDeps, sessionId: string): ChatPanel {
		return ChatPanel.showKind(deps, sessionId, 'chat', deps.sessions.get(sessionId)?.title ?? 'Chat');
	}

	/** Opens (or reveals) the panel of a task. */
	static showTask(deps: ChatDeps, taskId: string): ChatPanel {
		return ChatPanel.showKind(deps, taskId, 'task', deps.tasks.get(taskId)?.title ?? 'Task');
	}

	/** The serializer of one kind: restores a panel VS Code kept across a reload. */
	static serializer(deps: ChatDeps, kind: PanelKind = 'chat'): vscode.WebviewPanelSerializer<ChatWebviewState> {
		return {
			deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: ChatWebviewState | undefined) => {
				if (!state?.sessionId) {
					panel.dispose();
					return Promise.resolve();
				}
				panel.webview.options = webviewOptions(deps.extensionUri);
				new ChatPanel(deps, panel, state.sessionId, kind);
				return Promise.resolve();
			},
		};
	}

	/** The open panel of a session or task. */
	static get(id: string): ChatPanel | undefined {
		return ChatPanel.s_panels.get(id);
	}

	/** The chat panel used last (it may not have focus: the user may be in an editor). Task panels are never it. */
	static get lastActive(): ChatPanel | undefined {
		return ChatPanel.s_lastActive;
	}

	private static showKind(deps: ChatDeps, id: string, kind: PanelKind, title: string): ChatPanel {
		const existing = ChatPanel.s_panels.get(id);
		if (existing) {
			existing.panel.reveal();
			return existing;
		}
		const viewType = kind === 'task' ? ChatPanel.taskViewType : ChatPanel.viewType;
		const panel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
		return new ChatPanel(deps, panel, id, kind);
	}

	/** `sessionId` is the task's id in a task panel: the sidecar streams a task's transcript under it. */
	private constructor(deps: ChatDeps, readonly panel: vscode.WebviewPanel, readonly sessionId: string, readonly kind: PanelKind) {
		ChatPanel.s_panels.set(sessionId, this);
		panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'plue.svg');
		panel.webview.html = html(panel.webview, deps.extensionUri, sessionId, kind);
		this._controller = kind === 'task' ? new TaskController(sessionId, panel.webview, deps) : new ChatController(sessionId, panel.webview, deps);
		const retitle = (id: string, title: string | undefined): void => {
			if (id === sessionId && title) {
				panel.title = title;
			}
		};
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
			kind === 'task'
				? deps.tasks.onDidChangeTask(task => retitle(task.id, task.title))
				: deps.sessions.onDidChangeSession(session => retitle(session.id, session.title)),
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
		// Add Selection and the cost status bar follow chats only.
		if (this.kind === 'chat' && ChatPanel.s_lastActive !== this) {
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

function html(webview: vscode.Webview, extensionUri: vscode.Uri, sessionId: string, kind: PanelKind): string {
	const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'out', 'webview', name)).toString();
	return chatHtml({ cspSource: webview.cspSource, nonce: makeNonce(), scriptUri: asset('chat.js'), styleUri: asset('chat.css'), sessionId, kind });
}
