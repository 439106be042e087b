import * as vscode from 'vscode';
import type { McpAuthorizeParams, McpAuthorizeResult } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';

/**
 * A remote MCP server's OAuth sign-in (`mcp/authorize`, during Test MCP Server): the sign-in page opens in the
 * browser, which comes back to the sidecar's listener on 127.0.0.1; the tokens never pass through the extension.
 * While the sidecar waits for the browser, a notification counts down the time left.
 */
export function registerMcpSignIn(sidecar: Sidecar, log: vscode.OutputChannel): void {
	sidecar.onRequest('mcp/authorize', params => openSignIn(params, log));
}

async function openSignIn(params: McpAuthorizeParams, log: vscode.OutputChannel): Promise<McpAuthorizeResult> {
	const page = vscode.Uri.parse(params.url, true);
	log.appendLine(`MCP server ${params.title}: signing in at ${page.scheme}://${page.authority} in the browser`);
	// Shown before the page opens: opening it may first ask the user (code-server's "open the external website?").
	void countDown(params.server, params.title, params.waitSeconds ?? 300);
	const opened = await vscode.env.openExternal(page);
	if (!opened) {
		signInOver(params.server);
	}
	return { opened };
}

/** The countdowns showing, by server slug: each ends when that server's test ends (`signInOver`). */
const showing = new Map<string, () => void>();

/** The sidecar is no longer waiting for this server's sign-in: its test ended, signed in or not. */
export function signInOver(server: string): void {
	showing.get(server)?.();
}

/** "Sign in to X in your browser: 4:59 left", until the wait is over, the test ends or the user closes it. */
function countDown(server: string, title: string, seconds: number): Thenable<void> {
	return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Sign in to ${title} in your browser`, cancellable: true }, (progress, closed) =>
		new Promise<void>(resolve => {
			const endsAt = Date.now() + seconds * 1000;
			const end = (): void => {
				clearInterval(timer);
				showing.delete(server);
				resolve();
			};
			const tick = (): void => {
				const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
				progress.report({ message: `then come back here: ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left` });
				if (left === 0 || closed.isCancellationRequested) {
					end();
				}
			};
			showing.get(server)?.();
			showing.set(server, end);
			const timer = setInterval(tick, 1000);
			tick();
		}));
}
