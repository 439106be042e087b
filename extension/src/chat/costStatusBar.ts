import * as vscode from 'vscode';
import { Panel } from '../panel/panel';
import { ChatSessions } from './chatSessions';
import { formatCost, formatTokens } from '../shared/format';

/** The status bar item with the last active chat's cost ("cost unknown" when a price is unknown); hidden with no chat open. */
export function createCostStatusBar(sessions: ChatSessions): vscode.Disposable {
	const item = vscode.window.createStatusBarItem('plue.chatCost', vscode.StatusBarAlignment.Right, 99);
	item.name = 'Plue Chat Cost';
	const render = (): void => {
		const panel = Panel.lastActive;
		const session = panel ? sessions.get(panel.id) : undefined;
		if (!session) {
			item.hide();
			return;
		}
		const tokens = session.usage.input + session.usage.output;
		item.text = `$(comment-discussion) ${formatCost(session.costUsd, session.costSources)}`;
		item.tooltip = `${session.title}: ${formatTokens(tokens)} tokens, ${formatCost(session.costUsd, session.costSources)}`;
		item.command = { command: 'plue.chat.open', title: 'Open Chat', arguments: [session.id] };
		item.show();
	};
	render();
	return vscode.Disposable.from(item, Panel.onDidChangeActive(render), sessions.onDidChange(render));
}
