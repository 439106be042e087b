import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import { checkClaudeLogin } from './checkClaudeLogin';
import { showStatus } from './showStatus';
import { createStatusBar } from './statusBar';

/** The sidecar's status bar item and commands (status, restart, Claude Code login); a changed `plue.sidecar.path`
 * restarts it, and so does trust granted to the workspace: the sidecar learns trust only when it starts, and until then
 * would keep ignoring what the workspace brings. */
export function registerStatus(sidecar: Sidecar): vscode.Disposable {
	return vscode.Disposable.from(
		createStatusBar(sidecar),
		vscode.commands.registerCommand('plue.showStatus', () => showStatus(sidecar)),
		vscode.commands.registerCommand('plue.claudeCode.checkLogin', () => checkClaudeLogin(sidecar)),
		vscode.commands.registerCommand('plue.restartSidecar', () => sidecar.restart()),
		vscode.workspace.onDidChangeConfiguration(e => {
			if (e.affectsConfiguration('plue.sidecar.path')) {
				void sidecar.restart();
			}
		}),
		vscode.workspace.onDidGrantWorkspaceTrust(() => void sidecar.restart()),
	);
}
