import * as vscode from 'vscode';
import type { McpAuthorizeParams, McpAuthorizeResult } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';

/**
 * A remote MCP server's OAuth sign-in (`mcp/authorize`, during Test MCP Server): the sign-in page opens in the
 * browser, which comes back to the sidecar's listener on 127.0.0.1; the tokens never pass through the extension.
 */
export function registerMcpSignIn(sidecar: Sidecar, log: vscode.OutputChannel): void {
	sidecar.onRequest('mcp/authorize', params => openSignIn(params, log));
}

async function openSignIn(params: McpAuthorizeParams, log: vscode.OutputChannel): Promise<McpAuthorizeResult> {
	const page = vscode.Uri.parse(params.url, true);
	log.appendLine(`MCP server ${params.title}: signing in at ${page.scheme}://${page.authority} in the browser`);
	void vscode.window.showInformationMessage(`Sign in to ${params.title} in your browser, then come back here.`);
	return { opened: await vscode.env.openExternal(page) };
}
