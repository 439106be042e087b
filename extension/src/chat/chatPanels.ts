import * as vscode from 'vscode';
import { Panel, PanelKindSpec } from '../panel/panel';
import { ChatController, ChatDeps } from './chatController';

const viewType = 'plue.chat';

/** Chat panels for the shared panel host: titled after their session, a ChatController behind each. */
export function chatPanels(deps: ChatDeps): PanelKindSpec {
	return {
		kind: 'chat',
		viewType,
		extensionUri: deps.extensionUri,
		title: id => deps.sessions.get(id)?.title ?? 'Chat',
		watchTitle: (id, retitle) => deps.sessions.onDidChangeSession(session => {
			if (session.id === id) {
				retitle(session.title);
			}
		}),
		controller: (id, webview) => new ChatController(id, webview, deps),
	};
}

/** Opens (or reveals) a session's panel. */
export function showChat(deps: ChatDeps, sessionId: string): Panel {
	return Panel.show(chatPanels(deps), sessionId);
}

/** Restores the chat panels VS Code kept across a reload. */
export function registerChatPanels(deps: ChatDeps): vscode.Disposable {
	return vscode.window.registerWebviewPanelSerializer(viewType, Panel.serializer(chatPanels(deps)));
}
