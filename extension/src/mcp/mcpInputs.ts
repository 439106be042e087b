import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import type { Redactor } from '../sidecar/redactor';
import { answerMcpInput } from './mcpServer';

/**
 * A value an MCP file's server asks for before it starts (`mcp/input`, its file's `${input:id}`): an input box, masked
 * for a password, asked once. The answer goes to the vault from here (`vault/store`); the sidecar is told only whether.
 */
export function registerMcpInputs(sidecar: Sidecar, redactor: Redactor, log: vscode.OutputChannel): void {
	sidecar.onRequest('mcp/input', async (params, token) => {
		log.appendLine(`MCP server ${params.title} (${params.file}) asks for its input ${params.input}`);
		return answerMcpInput(params, options => Promise.resolve(vscode.window.showInputBox({ ...options, ignoreFocusOut: true }, token)), async (ref, value) => {
			redactor.add(value);
			await sidecar.request('vault/store', { ref, value });
		});
	});
}
