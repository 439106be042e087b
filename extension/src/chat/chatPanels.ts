import * as vscode from 'vscode';
import { Panel, PanelKindSpec, titledBy } from '../panel/panel';
import { ChatController, ChatDeps } from './chatController';

/** Chat panels for the shared panel host: titled after their session, a ChatController behind each. */
export function chatPanels(deps: ChatDeps): PanelKindSpec {
	return {
		kind: 'chat',
		viewType: 'plue.chat',
		extensionUri: deps.extensionUri,
		...titledBy(deps.sessions, deps.sessions.onDidChangeSession, 'Chat'),
		controller: (id, webview) => new ChatController(id, webview, deps),
	};
}

/** Opens (or reveals) a session's panel. */
export function showChat(deps: ChatDeps, sessionId: string): Panel {
	return Panel.show(chatPanels(deps), sessionId);
}

/** Restores the chat panels VS Code kept across a reload. */
export function registerChatPanels(deps: ChatDeps): vscode.Disposable {
	return Panel.register(chatPanels(deps));
}
