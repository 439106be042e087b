import * as vscode from 'vscode';
import { ClaudeCodeAuthResult } from '../shared/protocol';
import { Sidecar } from '../sidecar/sidecar';
import { showError } from '../sidecar/commandErrors';

const methods: Record<string, string> = {
	'api_key': 'an API key',
	'oauth_token': 'an OAuth token',
	'claude.ai': 'a Claude account',
	'third_party': 'a third-party provider',
};

/**
 * `plue.claudeCode.checkLogin`: whether the `claude` CLI is installed and logged in, and how.
 * When it is not logged in, offers a terminal running `claude login`. Returns what it found (tests use it).
 */
export async function checkClaudeLogin(sidecar: Sidecar): Promise<ClaudeCodeAuthResult | undefined> {
	let auth: ClaudeCodeAuthResult;
	try {
		auth = await vscode.window.withProgress(
			{ location: vscode.ProgressLocation.Window, title: 'Checking Claude Code…' },
			() => sidecar.request('auth/claudeCode', {}),
		);
	} catch (error) {
		showError('check Claude Code', error);
		return undefined;
	}
	if (!auth.installed) {
		void vscode.window.showWarningMessage(
			`Claude Code is not installed${auth.error ? ` (${auth.error})` : ''}. Install it with: npm install -g @anthropic-ai/claude-code`);
		return auth;
	}
	const version = auth.version ? ` ${auth.version}` : '';
	if (auth.loggedIn) {
		const how = auth.authMethod ? methods[auth.authMethod] ?? auth.authMethod : 'an unknown method';
		void vscode.window.showInformationMessage(`Claude Code${version} is installed and logged in with ${how}.`);
		return auth;
	}
	// The answer is not awaited: the command reports at once, the offer stays until the user acts.
	const login = 'Log In in a Terminal';
	void vscode.window.showWarningMessage(`Claude Code${version} is installed but not logged in.`, login).then(choice => {
		if (choice !== login) {
			return;
		}
		const terminal = vscode.window.createTerminal({ name: 'Claude Code login' });
		terminal.show();
		terminal.sendText(`${quote(auth.path ?? 'claude')} login`);
	});
	return auth;
}

function quote(path: string): string {
	return /^[\w./-]+$/.test(path) ? path : `"${path.replace(/"/g, '\\"')}"`;
}
