import * as vscode from 'vscode';
import { StatusResult } from '../shared/protocol';
import { Sidecar } from '../sidecar/sidecar';
import { showError } from '../sidecar/commandErrors';

/** `plue.showStatus`: asks the sidecar for `plue/status` and shows it. Returns the result (tests use it). */
export async function showStatus(sidecar: Sidecar): Promise<StatusResult | undefined> {
	let status: StatusResult;
	try {
		status = await sidecar.status();
	} catch (error) {
		showError('read the sidecar\'s status', error, { next: [{ label: 'Restart Sidecar', command: 'plue.restartSidecar' }] });
		return undefined;
	}
	// Not awaited: the message promise settles only when the toast is dismissed.
	void vscode.window.showInformationMessage(formatStatus(status));
	return status;
}

export function formatStatus(status: StatusResult): string {
	const uptime = (status.uptimeMs / 1000).toFixed(1);
	// Where the vault's master key is: the OS keychain, or a 0600 file (and why) where none answers.
	const vaultKey = status.vaultKey ? `; vault key ${status.vaultKey.description}` : '';
	return `Plue sidecar ${status.version} — pid ${status.pid}, up ${uptime} s, home ${status.plueHome}${vaultKey}${status.sandbox ? `; ${formatSandbox(status)}` : ''}`;
}

/** Whether what the agent runs is sandboxed, and why not (docs/SANDBOX.md). */
export function formatSandbox(status: StatusResult): string {
	const sandbox = status.sandbox;
	if (!sandbox) {
		return '';
	}
	return sandbox.active
		? `sandbox active: ${sandbox.policy}${sandbox.denials ? `; ${sandbox.denials}` : ''}`
		: `sandbox not active: ${sandbox.reason ?? sandbox.policy}`;
}
