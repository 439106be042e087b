import * as vscode from 'vscode';
import { Sidecar, SidecarState } from '../sidecar/sidecar';
import { formatSandbox } from './showStatus';
import { EngineReach } from './engineReach';

/**
 * The "$(hubot) Plue" status bar item: shows the sidecar state (its tooltip: the sandbox and whether the Docker engines
 * answer); a click runs Show Sidecar Status. Beside it, the
 * sandbox's notices no chat can show (`sandbox/refused`) as warnings.
 */
export function createStatusBar(sidecar: Sidecar): vscode.Disposable {
	const item = vscode.window.createStatusBarItem('plue.status', vscode.StatusBarAlignment.Right, 100);
	const engines = new EngineReach(sidecar);
	item.name = 'Plue';
	item.command = 'plue.showStatus';
	let sandbox: string | undefined;
	// The sidecar, its sandbox and its engines' reachability ("2 engines, 1 unreachable"; none added: nothing).
	const running = (sandboxText: string | undefined): string =>
		`Plue: the sidecar is running${sandboxText ? `; ${sandboxText}` : ''}${engines.summary ? `; ${engines.summary}` : ''}. Click for its status.`;
	const render = (state: SidecarState): void => {
		item.backgroundColor = undefined;
		switch (state.kind) {
			case 'starting':
				item.text = '$(sync~spin) Plue';
				item.tooltip = 'Plue: the sidecar is starting';
				break;
			case 'running':
				item.text = '$(hubot) Plue';
				item.tooltip = running(undefined);
				// Whether what the agent runs is sandboxed, and why not, once the sidecar says.
				sidecar.status().then(status => {
					if (sidecar.state.kind === 'running' && status.sandbox) {
						sandbox = formatSandbox(status);
						item.tooltip = running(sandbox);
					}
				}, () => { /* the tooltip stays as it is */ });
				engines.refresh();
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
	return vscode.Disposable.from(item, engines, sidecar.onDidChangeState(render),
		engines.onDidChange(() => {
			if (sidecar.state.kind === 'running') {
				item.tooltip = running(sandbox);
			}
		}),
		// What the sandbox refused an MCP server no chat was using: no card can carry it, so the window says it.
		sidecar.onNotification('sandbox/refused', refused => void vscode.window.showWarningMessage(`Plue: ${refused.message}`)));
}
