import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import type { Redactor } from '../sidecar/redactor';
import { answerMcpInput } from './mcpServer';

/**
 * A value an MCP file's server asks for before it starts (`mcp/input`, its file's `${input:id}`): an input box, masked
 * for a password, or a pick of a `pickString` input's choices, asked once. The answer goes to the vault from here (`vault/store`); the sidecar is told only whether.
 */
export function registerMcpInputs(sidecar: Sidecar, redactor: Redactor, log: vscode.OutputChannel): void {
	sidecar.onRequest('mcp/input', async (params, token) => {
		log.appendLine(`MCP server ${params.title} (${params.file}) asks for its input ${params.input}`);
		return answerMcpInput(params, box => Promise.resolve(box.options
			? vscode.window.showQuickPick(box.options, { title: box.title, placeHolder: box.prompt, ignoreFocusOut: true }, token)
			: vscode.window.showInputBox({ title: box.title, prompt: box.prompt, password: box.password, value: box.value, ignoreFocusOut: true }, token)), async (ref, value) => {
			// A choice the file lists is no secret: hiding it in every log line would hide ordinary words.
			if (!params.options) {
				redactor.add(value);
			}
			await sidecar.request('vault/store', { ref, value });
		});
	});
}
