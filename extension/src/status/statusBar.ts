import * as vscode from 'vscode';
import { Sidecar, SidecarState } from '../sidecar/sidecar';
import { formatSandbox } from './showStatus';

/**
 * The "$(hubot) Plue" status bar item: shows the sidecar state; a click runs Show Sidecar Status. Beside it, the
 * sandbox's notices no chat can show (`sandbox/refused`) as warnings.
 */
export function createStatusBar(sidecar: Sidecar): vscode.Disposable {
	const item = vscode.window.createStatusBarItem('plue.status', vscode.StatusBarAlignment.Right, 100);
	item.name = 'Plue';
	item.command = 'plue.showStatus';
	const render = (state: SidecarState): void => {
		item.backgroundColor = undefined;
		switch (state.kind) {
			case 'starting':
				item.text = '$(sync~spin) Plue';
				item.tooltip = 'Plue: the sidecar is starting';
				break;
			case 'running':
				item.text = '$(hubot) Plue';
				item.tooltip = 'Plue: the sidecar is running. Click for its status.';
				// Whether what the agent runs is sandboxed, and why not, once the sidecar says.
				sidecar.status().then(status => {
					if (sidecar.state.kind === 'running' && status.sandbox) {
						item.tooltip = `Plue: the sidecar is running; ${formatSandbox(status)}. Click for its status.`;
					}
				}, () => { /* the tooltip stays as it is */ });
				break;
			case 'stopped':
				item.text = '$(error) Plue';
				item.tooltip = `Plue: the sidecar is stopped${state.error ? ` (${state.error})` : ''}`;
				item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
				break;
		}
	};
	render(sidecar.state);
	item.show();
	return vscode.Disposable.from(item, sidecar.onDidChangeState(render),
		// What the sandbox refused an MCP server no chat was using: no card can carry it, so the window says it.
		sidecar.onNotification('sandbox/refused', refused => void vscode.window.showWarningMessage(`Plue: ${refused.message}`)));
}
